import CEL
import Testing

/// Parse errors with their positions, type errors, runtime errors and the cost budget (cel-spec conformance files
/// parse and errors; Kubernetes' per-expression cost limit).
@Suite struct ErrorCases {
    static let errors = Case.parse(
        #"""
        1 + ==> compile: 1:4: unexpected end of input
        (1 + 2 ==> compile: 1:7: expected ')', found end of input
        1 + 2) ==> compile: 1:6: unexpected ')'
        j.a. ==> compile: 1:5: expected a field name
        j.1 ==> compile: 1:2: unexpected number
        1 + + 2 ==> compile: 1:5: unexpected '+'
        1 $ 2 ==> compile: 1:3: unexpected character '$'
        1 # 2 ==> compile: 1:3: unexpected character '#'
        1 = 2 ==> compile: 1:3: unexpected character '='
        1 & 2 ==> compile: 1:3: unexpected character '&'
        [1, 2 ==> compile: 1:6: expected ']'
        {1: 2 ==> compile: 1:6: expected '}'
        {1 2} ==> compile: 1:4: expected ':'
        b ? 1 ==> compile: 1:6: expected ':'
        f(1, ==> compile: 1:5: unexpected end of input
        1 + if ==> compile: 1:5: reserved identifier 'if'
        in ==> compile: 1:1: reserved identifier 'in'
        while ==> compile: 1:1: reserved identifier 'while'
        var + 1 ==> compile: 1:1: reserved identifier 'var'
        Foo{a: 1} ==> compile: 1:4: message construction is not supported
        'abc' 'def' ==> compile: 1:7: unexpected string
        1 2 ==> compile: 1:3: unexpected number
        () ==> compile: 1:2: unexpected ')'
        [1,,2] ==> compile: 1:4: unexpected ','
        a.?1 ==> compile: 1:4: expected a field name
        'é' + é ==> compile: 1:7: unexpected character 'é'
        1 + 'x ==> compile: 1:5: unterminated string literal
        x + 1 ==> compile: 1:1: undeclared reference to 'x'
        1 + x ==> compile: 1:5: undeclared reference to 'x'
        i + s ==> compile: 1:3: found no matching overload for '+' applied to '(int, string)'
        s * 2 ==> compile: 1:3: found no matching overload for '*'
        s - s ==> compile: found no matching overload for '-'
        i == s ==> compile: 1:3: found no matching overload for '_==_' applied to '(int, string)'
        i != 'a' ==> compile: found no matching overload for '_!=_'
        object.spec.minReplicas == '3' ==> compile: 1:25: found no matching overload for '_==_'
        object.spec.minReplicas >= 3 && object.spec.minReplicass >= 1 ==> compile: 1:44: undefined field 'minReplicass'
        object.spec.maxReplica > 1 || object.spec.minReplica > 1 ==> compile: 1:12: undefined field 'maxReplica'
        object.status ==> compile: 1:7: undefined field 'status' on type 'HorizontalPodAutoscaler'
        object.metadata.labels.app + 1 ==> compile: found no matching overload for '+' applied to '(string, int)'
        object.spec.metrics.all(m, m.type) ==> error: predicate is not bool
        size(i) ==> compile: 1:1: found no matching overload for 'size' applied to '(int)'
        i.size() ==> compile: found no matching overload for 'size' applied to 'int.()'
        s.startsWith() ==> compile: found no matching overload for 'startsWith'
        s.substring('a') ==> compile: found no matching overload for 'substring'
        ls.map(x, x + 1) ==> compile: found no matching overload for '+' applied to '(string, int)'
        l.filter(x, x == 'a') ==> compile: found no matching overload for '_==_'
        mp.a.b ==> compile: type 'int' does not support field selection
        d % 2.0 ==> compile: found no matching overload for '%'
        u + i ==> compile: found no matching overload for '+' applied to '(uint, int)'
        int('1') + 1u ==> compile: found no matching overload for '+'
        t + t ==> compile: found no matching overload for '+'
        dur * 2 ==> compile: found no matching overload for '*'
        -b ==> compile: found no matching overload for '-'
        !s ==> compile: found no matching overload for '!'
        b && s ==> compile: 1:6: operand of '&&' must be bool, found 'string'
        unbound ==> error: no such attribute: 'unbound'
        unbound > 1 || true ==> true
        unbound > 1 && true ==> error: no such attribute
        j.x ==> error: no such key: x
        j.nested['missing'] ==> error: no such key: missing
        dyn(1).x ==> error: does not support field selection
        dyn({'a': 1})[[1]] ==> error: unsupported key type
        dyn('a') * 2 ==> error: no such overload: _*_(string, int)
        dyn(1) - 'a' ==> compile: 1:8: found no matching overload for '-' applied to '(dyn, string)'
        dyn(1) - dyn('a') ==> error: no such overload: _-_(int, string)
        dyn(1u) % 2 ==> error: no such overload
        -dyn('a') ==> error: no such overload: -_(string)
        dyn(1).size() ==> error: no such overload: size(int)
        dyn(1).contains('a') ==> error: no such overload: contains(int, string)
        int(dyn(true)) ==> error: no such overload: int(bool)
        [1, 2][dyn('a')] ==> error: no such overload
        {'a': 1}[dyn(1)] ==> error: no such key: 1
        j.b[j.a + 5] ==> error: index out of range: 6
        i / (j.a - 1) ==> error: division by zero
        i % (j.a - 1) ==> error: modulus by zero
        9223372036854775807 + j.a ==> error: overflow
        {j.s: 1, 'hello': 2} ==> error: repeated key: hello
        {dyn([1]): 1} ==> error: unsupported map key type
        [1, 2].map(x, x / 0) ==> error: division by zero
        """#, table: "errors")

    /// `@cost=N` runs the case under a budget of N; over it, evaluation stops with "cost limit exceeded", which
    /// neither `&&`/`||` nor `all`/`exists` absorb.
    static let cost = Case.parse(
        #"""
        @cost=10 [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map(x, x * 2) ==> error: cost limit 10 exceeded
        @cost=1000 [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(x, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(y, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(z, x + y + z))) ==> error: cost limit
        @cost=1000 [1, 2, 3].map(x, x * 2) ==> [2, 4, 6]
        @cost=5 1 + 1 ==> 2
        @cost=2 i + i + i + i ==> error: cost limit
        @cost=20 [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25].all(x, x > 0) || true ==> error: cost limit
        @cost=20 true || [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25].all(x, x > 0) ==> true
        @cost=20 [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20].exists(x, [1, 2, 3, 4, 5].all(y, y > x)) ==> error: cost limit
        @cost=100 'abcdefghij'.contains('j') ==> true
        @cost=3 'abcdefghijabcdefghijabcdefghijabcdefghij'.contains('j') ==> error: cost limit
        @cost=100 object.spec.minReplicas >= 3 && object.metadata.namespace.startsWith('prod-') ==> true
        cel.bind(a, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40], a.all(w, a.all(x, a.all(y, a.all(z, w + x + y + z > 0))))) ==> error: cost limit 1000000 exceeded
        cel.bind(a, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], a.map(w, a.map(x, a.map(y, a.map(z, a.map(v, a.map(r, r))))))).size() ==> error: cost limit
        """#, table: "cost")

    @Test(arguments: errors) func checkError(_ c: Case) { run(c) }
    @Test(arguments: cost) func checkCost(_ c: Case) { run(c) }
}
