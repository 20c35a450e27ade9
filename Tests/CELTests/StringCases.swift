import CEL
import Testing

/// The core string functions, the strings extension (cel-go ext/strings.go; conformance file string_ext) and the
/// regex functions (core `matches`, Kubernetes' `find`/`findAll`), PCRE2 under an RE2 contract.
@Suite struct StringCases {
    static let strings = Case.parse(
        #"""
        'hello'.contains('ell') ==> true
        'hello'.contains('') ==> true
        'hello'.contains('xyz') ==> false
        ''.contains('a') ==> false
        'héllo'.contains('él') ==> true
        'hello'.startsWith('he') ==> true
        'hello'.startsWith('') ==> true
        'hello'.startsWith('lo') ==> false
        'héllo'.startsWith('hé') ==> true
        'hello'.endsWith('lo') ==> true
        'hello'.endsWith('') ==> true
        'hello'.endsWith('he') ==> false
        'hé'.endsWith('é') ==> true
        s.startsWith('h') && s.endsWith('o') ==> true
        object.metadata.namespace.startsWith('prod-') ==> true
        'HeLLo É'.lowerAscii() ==> 'hello É'
        'HeLLo é'.upperAscii() ==> 'HELLO é'
        ''.lowerAscii() ==> ''
        'a,b,c'.split(',') ==> ['a', 'b', 'c']
        'a,b,c'.split(',', 2) ==> ['a', 'b,c']
        'a,b,c'.split(',', 1) ==> ['a,b,c']
        'a,b,c'.split(',', 0) ==> []
        'a,b,c'.split(',', -1) ==> ['a', 'b', 'c']
        'abc'.split('') ==> ['a', 'b', 'c']
        'abc'.split('', 2) ==> ['a', 'bc']
        ''.split(',') ==> ['']
        'a,,b'.split(',') ==> ['a', '', 'b']
        'a--b--c'.split('--') ==> ['a', 'b', 'c']
        'héllo'.split('') ==> ['h', 'é', 'l', 'l', 'o']
        ['a', 'b'].join() ==> 'ab'
        ['a', 'b'].join('-') ==> 'a-b'
        [].join('-') ==> ''
        ['x'].join(', ') ==> 'x'
        ls.join('/') ==> 'a/b/c'
        [1, 2].join() ==> compile: found no matching overload for 'join'
        dyn([1, 2]).join() ==> error: no such overload
        'hello'.replace('l', 'L') ==> 'heLLo'
        'hello'.replace('l', 'L', 1) ==> 'heLlo'
        'hello'.replace('l', 'L', 0) ==> 'hello'
        'hello'.replace('l', 'L', -1) ==> 'heLLo'
        'hello'.replace('ll', '') ==> 'heo'
        'hello'.replace('', '-') ==> '-h-e-l-l-o-'
        'hello'.replace('', '-', 2) ==> '-h-ello'
        'héllo'.replace('é', 'e') ==> 'hello'
        '  a b \t\n'.trim() ==> 'a b'
        ''.trim() ==> ''
        '\u00a0x\u2003'.trim() ==> 'x'
        'hello'.indexOf('l') ==> 2
        'hello'.indexOf('l', 3) ==> 3
        'hello'.indexOf('z') ==> -1
        'hello'.indexOf('') ==> 0
        'hello'.indexOf('', 2) ==> 2
        'hello'.indexOf('lo', 4) ==> -1
        'hello'.indexOf('l', 10) ==> error: index out of range
        'hello'.indexOf('l', -1) ==> error: index out of range
        'héllo'.indexOf('l') ==> 2
        '日本語'.indexOf('語') ==> 2
        'hello'.lastIndexOf('l') ==> 3
        'hello'.lastIndexOf('l', 2) ==> 2
        'hello'.lastIndexOf('l', 1) ==> -1
        'hello'.lastIndexOf('') ==> 5
        'hello'.lastIndexOf('', 2) ==> 2
        'hello'.lastIndexOf('z') ==> -1
        'hello'.lastIndexOf('hello') ==> 0
        'hello'.lastIndexOf('l', 9) ==> error: index out of range
        'héllo'.lastIndexOf('l') ==> 3
        'hello'.substring(1) ==> 'ello'
        'hello'.substring(1, 3) ==> 'el'
        'hello'.substring(0, 5) ==> 'hello'
        'hello'.substring(5) ==> ''
        'hello'.substring(2, 2) ==> ''
        'hello'.substring(3, 1) ==> error: invalid substring range
        'hello'.substring(6) ==> error: index out of range
        'hello'.substring(-1) ==> error: index out of range
        'hello'.substring(1, 9) ==> error: index out of range
        'héllo'.substring(1, 2) ==> 'é'
        'hello'.charAt(1) ==> 'e'
        'hello'.charAt(0) ==> 'h'
        'hello'.charAt(5) ==> ''
        'hello'.charAt(6) ==> error: index out of range
        'hello'.charAt(-1) ==> error: index out of range
        'héllo'.charAt(1) ==> 'é'
        'abc'.reverse() ==> 'cba'
        'héllo'.reverse() ==> 'olléh'
        strings.quote('a"b') ==> '"a\\"b"'
        strings.quote('line\n') ==> '"line\\n"'
        '%s is %d'.format(['x', 3]) ==> 'x is 3'
        '%s'.format(['héllo']) ==> 'héllo'
        '%d'.format([-5]) ==> '-5'
        '%d'.format([5u]) ==> '5'
        '%.2f'.format([3.14159]) ==> '3.14'
        '%f'.format([1.5]) ==> '1.500000'
        '%.0f'.format([2.5]) ==> '2'
        '%.3f'.format([1]) ==> '1.000'
        '%e'.format([1234.5]) ==> '1.234500e+03'
        '%d%%'.format([50]) ==> '50%'
        '%x'.format([255]) ==> 'ff'
        '%X'.format([255]) ==> 'FF'
        '%x'.format(['hi']) ==> '6869'
        '%o'.format([8]) ==> '10'
        '%b'.format([5]) ==> '101'
        '%s'.format([[1, 'a']]) ==> '[1, "a"]'
        '%s'.format([{'k': 1}]) ==> '{"k": 1}'
        '%s'.format([true]) ==> 'true'
        '%s'.format([null]) ==> 'null'
        '%s'.format([1.5]) ==> '1.5'
        '%s'.format([duration('1m')]) ==> '60s'
        '%s'.format([int]) ==> 'int'
        'no clauses'.format([]) ==> 'no clauses'
        '%s-%s'.format([object.metadata.namespace, object.metadata.name]) ==> 'prod-eu-web'
        '%d'.format([1.5]) ==> error: decimal clause can only be used on integers
        '%f'.format(['x']) ==> error: fixed-point clause can only be used on numbers
        '%s %s'.format(['a']) ==> error: index 1 out of range
        '%q'.format([1]) ==> error: unrecognized formatting clause
        '%'.format([]) ==> error: unterminated clause
        '%s'.format('a') ==> compile: found no matching overload for 'format'
        'a' + 'b' == 'ab' ==> true
        """#, table: "strings")

    static let regexes = Case.parse(
        #"""
        'hello'.matches('^h.*o$') ==> true
        'hello'.matches('ell') ==> true
        'hello'.matches('^ell') ==> false
        matches('abc', 'b') ==> true
        matches('abc', '^b') ==> false
        'ABC'.matches('(?i)abc') ==> true
        'héllo'.matches('^h.llo$') ==> true
        'a1'.matches('\\d') ==> true
        'a1'.matches(r'\d') ==> true
        'é'.matches('\\w') ==> false
        'é'.matches('\\pL') ==> true
        'ab\nc'.matches('b$') ==> false
        'abc\n'.matches('c$') ==> false
        'ab\nc'.matches('(?m)b$') ==> true
        'a\nb'.matches('a.b') ==> false
        'a\nb'.matches('(?s)a.b') ==> true
        ''.matches('') ==> true
        'prod-eu'.matches('^prod-[a-z]+$') ==> true
        object.metadata.name.matches('^[a-z][-a-z0-9]*$') ==> true
        'abc'.matches(s) ==> false
        'hello'.matches(s) ==> true
        'aaa'.matches('a{2,}') ==> true
        'x'.matches('[[:alpha:]]') ==> true
        'a+b'.matches('a\\+b') ==> true
        'a'.matches('(?P<name>a)') ==> true
        'a'.matches('(a') ==> compile: 1:13: invalid regex '(a'
        'a'.matches('[a') ==> compile: invalid regex
        'aa'.matches('(a)\\1') ==> compile: backreference
        'aa'.matches('(?P<x>a)(?P=x)') ==> compile: backreference
        'ab'.matches('a(?=b)') ==> compile: lookaround
        'ab'.matches('a(?!b)') ==> compile: lookaround
        'ab'.matches('(?<=a)b') ==> compile: lookaround
        'ab'.matches('(?<!a)b') ==> compile: lookaround
        'aa'.matches('a++') ==> compile: possessive quantifier
        'aa'.matches('a*+') ==> compile: possessive quantifier
        'aa'.matches('a{1,2}+') ==> compile: possessive quantifier
        'aa'.matches('a+?') ==> true
        'aa'.matches('(?>a)') ==> compile: atomic group
        'a'.matches('\\C') ==> compile: \C
        'a'.matches('a\\Z') ==> compile: \Z
        'a'.matches('(?R)') ==> compile: recursion
        '[a]'.matches('[+*?]') ==> false
        'a'.matches(s + '(') ==> error: invalid regex
        'a'.matches(s + '\\1') ==> error: backreference
        'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab'.matches('^(a|a)*$') ==> error: match limit exceeded
        'abc123def456'.find('[0-9]+') ==> '123'
        'abc'.find('[0-9]+') ==> ''
        'abc123def456'.findAll('[0-9]+') ==> ['123', '456']
        'abc123def456'.findAll('[0-9]+', 1) ==> ['123']
        'abc123def456'.findAll('[0-9]+', 0) ==> []
        'abc123def456'.findAll('[0-9]+', -1) ==> ['123', '456']
        'abc'.findAll('[0-9]+') ==> []
        'aaa'.findAll('a*') ==> ['aaa']
        'abc'.findAll('') ==> ['', '', '', '']
        '日本語'.findAll('.') ==> ['日', '本', '語']
        'a1b2'.findAll('[a-z]\\d') ==> ['a1', 'b2']
        'x'.find('(') ==> compile: invalid regex
        'x'.findAll('(a)\\1') ==> compile: backreference
        'x'.find(s) ==> ''
        'hello'.find(s) ==> 'hello'
        1.find('a') ==> compile: found no matching overload for 'find'
        'a'.matches(1) ==> compile: found no matching overload for 'matches'
        """#, table: "regexes")

    @Test(arguments: strings) func checkString(_ c: Case) { run(c) }
    @Test(arguments: regexes) func checkRegex(_ c: Case) { run(c) }
}
