import CEL
import Testing

/// Literals, operators, equality, ordering, conversions, selection and indexing (langdef; cel-spec conformance
/// files basic, integer_math, fp_math, comparisons, conversions, lists, fields, logic, string, parse).
@Suite struct CoreCases {
    static let literals = Case.parse(
        #"""
        # Numbers
        0 ==> 0
        42 ==> 42
        -42 ==> -42
        0x10 ==> 16
        0XfF ==> 255
        -0x10 ==> -16
        0x1Fu ==> 31u
        42u ==> 42u
        42U ==> 42u
        9223372036854775807 ==> 9223372036854775807
        -9223372036854775808 ==> -9223372036854775808
        9223372036854775808 ==> compile: 1:1: int literal out of range
        18446744073709551615u ==> 18446744073709551615u
        18446744073709551616u ==> compile: uint literal out of range
        0x10000000000000000 ==> compile: hex literal out of range
        1.5 ==> 1.5
        -1.5 ==> -1.5
        1e3 ==> 1000.0
        1E3 ==> 1000.0
        1.5e-2 ==> 0.015
        2.5e+2 ==> 250.0
        .5 ==> 0.5
        0.0 ==> 0.0
        1e400 ==> double('Infinity')
        - - 1 ==> 1
        --1 ==> 1
        -(-1) ==> 1
        # Strings
        'hello' ==> "hello"
        "hello" ==> 'hello'
        '' ==> ""
        '"' ==> "\""
        "'" ==> '\''
        '''x''x''' ==> "x''x"
        """a"b""" ==> 'a"b'
        '\a\b\f\n\r\t\v' == "\x07\x08\x0C\x0A\x0D\x09\x0B" ==> true
        '\\' ==> "\\"
        '\?' ==> '?'
        '\`' ==> '`'
        '\x41' ==> 'A'
        '\X41' ==> 'A'
        '\101' ==> 'A'
        '\u00e9' ==> 'é'
        '\U0001F600' ==> '😀'
        size('\U0001F600') ==> 1
        '\303\277' ==> 'Ã¿'
        "\377" ==> 'ÿ'
        r'\n' ==> '\\n'
        R'\n' ==> '\\n'
        size(r'\n') ==> 2
        r"a\"" ==> compile: unterminated string
        '\uD800' ==> compile: invalid unicode code point
        '\q' ==> compile: 1:2: invalid escape sequence
        '\400' ==> compile: invalid escape sequence
        '\12' ==> compile: invalid octal escape
        'abc ==> compile: 1:1: unterminated string literal
        '''abc'' ==> compile: unterminated string literal
        # Bytes
        b'abc' ==> bytes('abc')
        B'abc' ==> bytes('abc')
        size(b'\xff') ==> 1
        size(b'\377') ==> 1
        b'\xff' == b'\377' ==> true
        size(b'ÿ') ==> 2
        b'ÿ' == b'\303\277' ==> true
        br'\x00' ==> bytes('\\x00')
        rb'\x00' ==> bytes('\\x00')
        b'\u00ff' ==> compile: unicode escape in bytes literal
        b'''a'b''' ==> bytes("a'b")
        # Booleans, null
        true ==> true
        false ==> false
        null ==> null
        # Aggregates
        [] ==> []
        [1, 2, 3] ==> [1, 2, 3]
        [1, 'a', null] ==> [1, 'a', null]
        [1, 2, ] ==> [1, 2]
        {} ==> {}
        {'a': 1, 'b': 2} ==> {'b': 2, 'a': 1}
        {1: 'a', true: 'b'} ==> {true: 'b', 1: 'a'}
        {'a': 1, } ==> {'a': 1}
        {'a': 1, 'a': 2} ==> error: repeated key
        {1: 'a', 1u: 'b'} ==> error: repeated key
        {[1]: 2} ==> compile: unsupported map key type
        {1.5: 2} ==> compile: unsupported map key type
        [[1], [2, 3]] ==> [[1], [2, 3]]
        {'k': [1, {'x': true}]}['k'][1]['x'] ==> true
        # Comments and whitespace
        1 + 2 // a comment ==> 3
        1	+	2 ==> 3
        """#, table: "literals")

    static let arithmetic = Case.parse(
        #"""
        1 + 2 ==> 3
        2 - 3 ==> -1
        6 * 7 ==> 42
        7 / 2 ==> 3
        -7 / 2 ==> -3
        7 % 3 ==> 1
        -7 % 3 ==> -1
        7 % -3 ==> 1
        1 + 2 * 3 ==> 7
        (1 + 2) * 3 ==> 9
        10 - 2 - 3 ==> 5
        100 / 10 / 5 ==> 2
        2 * 3 % 4 ==> 2
        -2 * 3 ==> -6
        1u + 2u ==> 3u
        5u - 3u ==> 2u
        4u * 5u ==> 20u
        7u / 2u ==> 3u
        7u % 4u ==> 3u
        1.5 + 2.25 ==> 3.75
        1.5 - 2.0 ==> -0.5
        1.5 * 2.0 ==> 3.0
        1.0 / 4.0 ==> 0.25
        -(1.5) ==> -1.5
        1.0 / 0.0 ==> double('Infinity')
        -1.0 / 0.0 ==> double('-Infinity')
        0.0 / 0.0 != 0.0 / 0.0 ==> true
        i + 1 ==> 43
        i * -1 ==> -42
        u + 1u ==> 8u
        d * 2.0 ==> 5.0
        9223372036854775807 + 1 ==> error: overflow
        -9223372036854775808 - 1 ==> error: overflow
        9223372036854775807 * 2 ==> error: overflow
        -9223372036854775808 / -1 ==> error: overflow
        -9223372036854775808 % -1 ==> error: overflow
        -(-9223372036854775808) ==> error: overflow
        -9223372036854775807 - 1 ==> -9223372036854775808
        18446744073709551615u + 1u ==> error: overflow
        0u - 1u ==> error: overflow
        9223372036854775808u * 2u ==> error: overflow
        1 / 0 ==> error: division by zero
        1 % 0 ==> error: modulus by zero
        1u / 0u ==> error: division by zero
        1u % 0u ==> error: modulus by zero
        i / (i - 42) ==> error: division by zero
        1 + 1u ==> compile: 1:3: found no matching overload for '+' applied to '(int, uint)'
        1 + 1.0 ==> compile: found no matching overload for '+' applied to '(int, double)'
        1.5 % 1.0 ==> compile: found no matching overload for '%'
        1 + 'a' ==> compile: found no matching overload for '+' applied to '(int, string)'
        -'a' ==> compile: found no matching overload for '-'
        -1u ==> compile: found no matching overload for '-'
        dyn(1) + 1u ==> error: no such overload
        dyn(1) + 1 ==> 2
        dyn(1.5) + 1.5 ==> 3.0
        j.a + 1 ==> 2
        j.s + 1 ==> error: no such overload
        'ab' + 'cd' ==> 'abcd'
        '' + '' ==> ''
        b'ab' + b'cd' ==> b'abcd'
        [1] + [2, 3] ==> [1, 2, 3]
        [] + [] ==> []
        [1] + ['a'] ==> compile: found no matching overload for '+' applied to '(list(int), list(string))'
        [1] + [dyn('a')] ==> [1, 'a']
        dyn([1]) + ['a'] ==> [1, 'a']
        """#, table: "arithmetic")

    static let comparisons = Case.parse(
        #"""
        1 == 1 ==> true
        1 == 2 ==> false
        1 != 2 ==> true
        1 == 1.0 ==> true
        1 == 1u ==> true
        1u == 1.0 ==> true
        -1 == 18446744073709551615u ==> false
        dyn(1) == 1.0 ==> true
        dyn(1) == 'a' ==> false
        dyn('a') != 1 ==> true
        2.0 == 2 ==> true
        0.5 == 0 ==> false
        'a' == 'a' ==> true
        'a' == 'b' ==> false
        'é' == 'e\u0301' ==> false
        b'a' == b'a' ==> true
        true == true ==> true
        true != false ==> true
        null == null ==> true
        null != null ==> false
        j.n == null ==> true
        oldObject == null ==> true
        [1, 2] == [1, 2] ==> true
        [1, 2] == [2, 1] ==> false
        [1, 2] == [1, 2, 3] ==> false
        [1, 2.0] == [1.0, 2] ==> true
        [[1]] == [[1]] ==> true
        {'a': 1} == {'a': 1} ==> true
        {'a': 1, 'b': 2} == {'b': 2, 'a': 1} ==> true
        {'a': 1} == {'a': 2} ==> false
        {'a': 1} == {'b': 1} ==> false
        {'a': 1} == {'a': 1.0} ==> true
        {1: 'x'} == {1u: 'x'} ==> true
        double('NaN') == double('NaN') ==> false
        double('NaN') != double('NaN') ==> true
        [double('NaN')] == [double('NaN')] ==> false
        type(1) == int ==> true
        type(1) == uint ==> false
        1 == 'a' ==> compile: 1:3: found no matching overload for '_==_' applied to '(int, string)'
        'a' != true ==> compile: found no matching overload for '_!=_'
        [1] == ['a'] ==> compile: found no matching overload for '_==_'
        1 < 2 ==> true
        2 < 1 ==> false
        1 <= 1 ==> true
        2 > 1 ==> true
        1 >= 2 ==> false
        -1 < 0 ==> true
        1u < 2u ==> true
        1.5 < 2.5 ==> true
        1 < 1.5 ==> true
        2 > 1.5 ==> true
        1.0 <= 1 ==> true
        1u < 2 ==> true
        -1 < 1u ==> true
        1u > -1 ==> true
        18446744073709551615u > 9223372036854775807 ==> true
        9223372036854775807 < 9223372036854775808.0 ==> true
        -9223372036854775808 <= -9223372036854775808.0 ==> true
        1u < 1.5 ==> true
        18446744073709551615u < 1e30 ==> true
        double('NaN') < 1.0 ==> false
        double('NaN') > 1 ==> false
        double('NaN') >= double('NaN') ==> false
        1.0 < double('Infinity') ==> true
        'a' < 'b' ==> true
        'abc' < 'abd' ==> true
        'ab' < 'abc' ==> true
        '' < 'a' ==> true
        'b' >= 'a' ==> true
        'Z' < 'a' ==> true
        'é' > 'z' ==> true
        b'a' < b'b' ==> true
        b'\x00' < b'\xff' ==> true
        false < true ==> true
        true <= true ==> true
        true > false ==> true
        duration('1s') < duration('2s') ==> true
        timestamp('2024-01-01T00:00:00Z') < timestamp('2024-01-02T00:00:00Z') ==> true
        'a' < 1 ==> compile: found no matching overload for '<' applied to '(string, int)'
        true < 1 ==> compile: found no matching overload for '<'
        [1] < [2] ==> compile: found no matching overload for '<'
        dyn('a') < 1 ==> error: no such overload
        dyn([1]) < dyn([2]) ==> error: no such overload
        i > 40 ==> true
        d >= 2.5 ==> true
        u <= 7u ==> true
        """#, table: "comparisons")

    static let logic = Case.parse(
        #"""
        true && true ==> true
        true && false ==> false
        false && true ==> false
        false || true ==> true
        false || false ==> false
        true || false ==> true
        !true ==> false
        !false ==> true
        !!true ==> true
        !!!true ==> false
        true || false && false ==> true
        (true || false) && false ==> false
        !true || true ==> true
        false && 1 / 0 == 1 ==> false
        1 / 0 == 1 && false ==> false
        1 / 0 == 1 || true ==> true
        true || 1 / 0 == 1 ==> true
        1 / 0 == 1 && true ==> error: division by zero
        true && 1 / 0 == 1 ==> error: division by zero
        1 / 0 == 1 || false ==> error: division by zero
        false || 1 / 0 == 1 ==> error: division by zero
        1 / 0 == 1 || 2 % 0 == 1 ==> error: division by zero
        j.missing && false ==> false
        j.missing || true ==> true
        j.missing && true ==> error: no such key
        dyn(1) && false ==> false
        dyn(1) || true ==> true
        dyn(1) && true ==> error: no such overload
        dyn('x') || false ==> error: no such overload
        j.t && j.t ==> true
        [1, 0].exists(x, 1 / x == 1) || false ==> true
        1 && true ==> compile: operand of '&&' must be bool
        true || 'a' ==> compile: operand of '||' must be bool
        !1 ==> compile: found no matching overload for '!'
        !dyn(1) ==> error: no such overload
        true ? 1 : 2 ==> 1
        false ? 1 : 2 ==> 2
        1 > 2 ? 'a' : 'b' ==> 'b'
        true ? 1 : 1 / 0 ==> 1
        false ? 1 / 0 : 2 ==> 2
        1 / 0 == 1 ? 1 : 2 ==> error: division by zero
        true ? false ? 1 : 2 : 3 ==> compile: 1:14: expected ':', found '?'
        true ? (false ? 1 : 2) : 3 ==> 2
        false ? 1 : true ? 2 : 3 ==> 2
        true ? 1 : 'a' ==> 1
        true ? null : 1 ==> null
        1 ? 2 : 3 ==> compile: condition of '?:' must be bool
        dyn(1) ? 2 : 3 ==> error: no such overload
        b ? i : 0 ==> 42
        1 in [1, 2] ==> true
        3 in [1, 2] ==> false
        'a' in ['a', 'b'] ==> true
        1 in [] ==> false
        1.0 in [1, 2] ==> true
        1 in [1.0] ==> true
        1u in [1] ==> true
        [1] in [[1], [2]] ==> true
        'a' in {'a': 1} ==> true
        'b' in {'a': 1} ==> false
        1 in {1: 'x'} ==> true
        1u in {1: 'x'} ==> true
        2 in l ==> true
        'app' in object.metadata.labels ==> true
        'x' in object.metadata.labels ==> false
        'a' in mp ==> true
        'a' in [1, 2] ==> compile: found no matching overload for 'in'
        1 in 1 ==> compile: found no matching overload for 'in'
        'a' in dyn(1) ==> error: no such overload
        'hello' in j.s ==> error: no such overload
        """#, table: "logic")

    static let conversions = Case.parse(
        #"""
        int(42) ==> 42
        int(42u) ==> 42
        int(9223372036854775807u) ==> 9223372036854775807
        int(9223372036854775808u) ==> error: range error
        int(1.9) ==> 1
        int(-1.9) ==> -1
        int(1e18) ==> 1000000000000000000
        int(1e19) ==> error: range error
        int(-9.3e18) ==> error: range error
        int(double('NaN')) ==> error: range error
        int(double('Infinity')) ==> error: range error
        int('123') ==> 123
        int('-123') ==> -123
        int('9223372036854775808') ==> error: cannot convert
        int('1.5') ==> error: cannot convert
        int('abc') ==> error: cannot convert
        int('') ==> error: cannot convert
        int(timestamp('1970-01-01T00:01:00Z')) ==> 60
        int(duration('1s')) ==> 1000000000
        int(true) ==> compile: found no matching overload for 'int'
        uint(42) ==> 42u
        uint(-1) ==> error: range error
        uint(42u) ==> 42u
        uint(1.5) ==> 1u
        uint(-0.5) ==> error: range error
        uint(1.9e19) ==> error: range error
        uint('42') ==> 42u
        uint('-1') ==> error: cannot convert
        uint('18446744073709551615') ==> 18446744073709551615u
        double(1) ==> 1.0
        double(-5) ==> -5.0
        double(1u) ==> 1.0
        double(1.5) ==> 1.5
        double('1.5') ==> 1.5
        double('-1e3') ==> -1000.0
        double('Infinity') == double('inf') ==> true
        double('abc') ==> error: cannot convert
        double('') ==> error: cannot convert
        string(1) ==> '1'
        string(-1) ==> '-1'
        string(1u) ==> '1'
        string(1.5) ==> '1.5'
        string(-0.25) ==> '-0.25'
        string(2.0) ==> '2'
        string(100000.0) ==> '100000'
        string(1000000.0) ==> '1e+06'
        string(1e100) ==> '1e+100'
        string(0.0001) ==> '0.0001'
        string(0.00001) ==> '1e-05'
        string(123456.5) ==> '123456.5'
        string(true) ==> 'true'
        string(false) ==> 'false'
        string('abc') ==> 'abc'
        string(b'abc') ==> 'abc'
        string(b'\xc3\xa9') ==> 'é'
        string(b'\xff') ==> error: invalid UTF-8
        string(duration('1m')) ==> '60s'
        string(duration('1.5s')) ==> '1.5s'
        string(duration('-1ms')) ==> '-0.001s'
        string(duration('1ns')) ==> '0.000000001s'
        string(timestamp('2024-01-02T03:04:05Z')) ==> '2024-01-02T03:04:05Z'
        string(timestamp('2024-01-02T03:04:05.500Z')) ==> '2024-01-02T03:04:05.5Z'
        string(timestamp('2024-01-02T03:04:05+01:00')) ==> '2024-01-02T02:04:05Z'
        string(null) ==> compile: found no matching overload for 'string'
        string([1]) ==> compile: found no matching overload for 'string'
        string(dyn([1])) ==> error: no such overload
        bytes('abc') ==> b'abc'
        bytes('é') ==> b'\xc3\xa9'
        bytes(b'x') ==> b'x'
        bool('true') ==> true
        bool('True') ==> true
        bool('TRUE') ==> true
        bool('t') ==> true
        bool('1') ==> true
        bool('false') ==> false
        bool('f') ==> false
        bool('0') ==> false
        bool(true) ==> true
        bool('yes') ==> error: cannot convert
        bool('tRuE') ==> error: cannot convert
        bool(1) ==> compile: found no matching overload for 'bool'
        dyn(1) ==> 1
        dyn('a') ==> 'a'
        dyn([1, 2]) ==> [1, 2]
        dyn({'a': 1}).a ==> 1
        type(1) ==> int
        type(1u) ==> uint
        type(1.5) ==> double
        type('a') ==> string
        type(b'a') ==> bytes
        type(true) ==> bool
        type(null) ==> null_type
        type([]) ==> list
        type({}) ==> map
        type(int) ==> type
        type(type(1)) ==> type
        type(type(1)) == type(string) ==> true
        type(1) == string ==> false
        type(duration('1s')) ==> google.protobuf.Duration
        type(timestamp(0)) ==> google.protobuf.Timestamp
        type(optional.none()) == optional_type ==> true
        type(dyn(1)) ==> int
        type(j.b) ==> list
        type(object) ==> map
        type(1) == type(1u) ==> false
        type(i) == int ==> true
        int == int ==> true
        """#, table: "conversions")

    static let access = Case.parse(
        #"""
        [1, 2, 3][0] ==> 1
        [1, 2, 3][2] ==> 3
        [1, 2, 3][3] ==> error: index out of range
        [1, 2, 3][-1] ==> error: index out of range
        [1, 2, 3][1u] ==> 2
        [1, 2, 3][1.0] ==> 2
        [1, 2, 3][1.5] ==> error: unsupported index
        [1, 2, 3]['a'] ==> compile: found no matching overload for '_[_]'
        l[0] ==> 3
        l[i - 40] ==> 2
        ls[1] ==> 'b'
        {'a': 1}['a'] ==> 1
        {'a': 1}['b'] ==> error: no such key: b
        {1: 'x'}[1] ==> 'x'
        {1: 'x'}[1u] ==> 'x'
        {1: 'x'}[1.0] ==> 'x'
        {1: 'x'}[2] ==> error: no such key
        {true: 1}[true] ==> 1
        {'a': {'b': 2}}['a']['b'] ==> 2
        {'a': 1}.a ==> 1
        {'a': {'b': 2}}.a.b ==> 2
        {'a': 1}.b ==> error: no such key: b
        mp['b'] ==> 2
        mp.b ==> 2
        mp['z'] ==> error: no such key
        mp[1] ==> compile: found no matching overload for '_[_]'
        1[0] ==> compile: found no matching overload for '_[_]'
        'abc'[0] ==> compile: found no matching overload for '_[_]'
        dyn('abc')[0] ==> error: no such overload
        j.a ==> 1
        j.f ==> 1.5
        j.s ==> 'hello'
        j.n ==> null
        j.b ==> [1, 2, 3]
        j.b[1] ==> 2
        j.b[5] ==> error: index out of range
        j['a'] ==> 1
        j.nested.k ==> 'v'
        j.nested['k'] ==> 'v'
        j.missing ==> error: no such key: missing
        j.nested.missing ==> error: no such key: missing
        j.a.b ==> error: does not support field selection
        j.n.x ==> error: does not support field selection
        j.b.x ==> error: does not support field selection
        [{'a': {'b': 1}}].all(x, x.a.b == 1) ==> true
        [{'a': {'b': 1}}, {'a': 2}].exists(x, x.a.b == 1) ==> true
        [{'a': 2}, {'a': {'b': 1}}].all(x, x.a.b == 1) ==> error: does not support field selection
        [{'a': {}}].exists(x, x.a.b == 1) ==> error: no such key: b
        {'caf\u00e9': 1}['cafe\u0301'] ==> error: no such key
        {'ab': 1, 'abc': 2, 'b': 3}['abc'] ==> 2
        object.spec.minReplicas ==> 3
        object.spec.maxReplicas ==> 10
        object.metadata.name ==> 'web'
        object.metadata.namespace ==> 'prod-eu'
        object.metadata.labels.app ==> 'web'
        object.metadata.labels['tier'] ==> 'frontend'
        object.spec.scaleTargetRef.kind ==> 'Deployment'
        object.spec.metrics[0].resource.name ==> 'cpu'
        object.spec.metrics[0].type == 'Resource' ==> true
        object['spec'].minReplicas ==> 3
        object.spec.behavior ==> error: no such key: behavior
        object.metadata.annotations ==> error: no such key: annotations
        object.metadata.labels.missing ==> error: no such key: missing
        object.spec.minReplicass ==> compile: 1:12: undefined field 'minReplicass' on type 'HorizontalPodAutoscalerSpec'
        object.metadata.nam ==> compile: undefined field 'nam'
        object['spek'] ==> compile: undefined field 'spek'
        object.spec.minReplicas.value ==> compile: type 'int' does not support field selection
        object.spec.minReplicas + 'x' ==> compile: found no matching overload for '+' applied to '(int, string)'
        object.spec.minReplicas == 'x' ==> compile: found no matching overload for '_==_'
        object.metadata.name > 1 ==> compile: found no matching overload for '>'
        object.spec.minReplicas <= object.spec.maxReplicas ==> true
        object.spec.maxReplicas - object.spec.minReplicas ==> 7
        i.x ==> compile: type 'int' does not support field selection
        l.x ==> compile: does not support field selection
        has(j.a) ==> true
        has(j.missing) ==> false
        has(j.n) ==> true
        has(j.nested.k) ==> true
        has(j.nested.z) ==> false
        has(j.missing.z) ==> error: no such key
        has(j.a.z) ==> error: does not support field selection
        has({'a': 1}.a) ==> true
        has(mp.a) ==> true
        has(mp.z) ==> false
        has(object.spec) ==> true
        has(object.spec.behavior) ==> false
        has(object.metadata.labels) ==> true
        has(object.metadata.annotations) ==> false
        has(object.spec.minReplica) ==> compile: undefined field 'minReplica'
        has(j) ==> compile: 1:5: invalid argument to has() macro
        has(1) ==> compile: 1:5: invalid argument to has() macro
        has(j.a, j.b) ==> compile: invalid argument to has() macro
        has(i.x) ==> compile: does not support field selection
        size('') ==> 0
        size('abc') ==> 3
        size('héllo') ==> 5
        'héllo'.size() ==> 5
        size(b'abc') ==> 3
        size(b'h\xc3\xa9') ==> 3
        size([]) ==> 0
        size([1, 2, 3]) ==> 3
        [1, 2].size() ==> 2
        size({}) ==> 0
        size({'a': 1}) ==> 1
        {'a': 1, 'b': 2}.size() ==> 2
        size(j.b) ==> 3
        size(j) ==> 7
        size(object.metadata.labels) ==> 2
        size(l) + size(ls) ==> 6
        size(1) ==> compile: found no matching overload for 'size'
        size(dyn(1)) ==> error: no such overload
        size(s) ==> 5
        unbound + 1 ==> error: no such attribute: 'unbound'
        b ==> true
        x ==> compile: 1:1: undeclared reference to 'x'
        x.y.z ==> compile: undeclared reference to 'x'
        .i ==> 42
        foo(1) ==> compile: undeclared reference to 'foo'
        'a'.foo() ==> compile: undeclared reference to 'foo'
        s.contains(1) ==> compile: found no matching overload for 'contains' applied to 'string.(int)'
        i.startsWith('a') ==> compile: found no matching overload for 'startsWith'
        l[0] + 'a' ==> compile: found no matching overload for '+'
        mp.a + 1 ==> 2
        """#, table: "access")

    @Test(arguments: literals) func checkLiteral(_ c: Case) { run(c) }
    @Test(arguments: arithmetic) func checkArithmetic(_ c: Case) { run(c) }
    @Test(arguments: comparisons) func checkComparison(_ c: Case) { run(c) }
    @Test(arguments: logic) func checkLogic(_ c: Case) { run(c) }
    @Test(arguments: conversions) func checkConversion(_ c: Case) { run(c) }
    @Test(arguments: access) func checkAccess(_ c: Case) { run(c) }
}
