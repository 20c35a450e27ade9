// PCRE2 with 8-bit code units: CEL strings are matched as UTF-8.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
