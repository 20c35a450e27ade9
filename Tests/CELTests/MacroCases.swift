import CEL
import Testing

/// has/all/exists/exists_one/map/filter, the two-variable forms, cel.bind, and optionals (cel-spec conformance
/// files macros, macros2, optionals, bindings_ext).
@Suite struct MacroCases {
    static let macros = Case.parse(
        #"""
        [1, 2, 3].all(x, x > 0) ==> true
        [1, 2, 3].all(x, x > 1) ==> false
        [].all(x, x > 0) ==> true
        [1, 2, 3].exists(x, x == 2) ==> true
        [1, 2, 3].exists(x, x == 5) ==> false
        [].exists(x, true) ==> false
        [1, 2, 3].exists_one(x, x > 2) ==> true
        [1, 2, 3].exists_one(x, x > 1) ==> false
        [1, 2, 3].exists_one(x, x > 5) ==> false
        [1, 2, 3].existsOne(x, x == 1) ==> true
        [1, 2, 3].map(x, x * 2) ==> [2, 4, 6]
        [].map(x, x * 2) ==> []
        [1, 2, 3].map(x, x > 1, x * 2) ==> [4, 6]
        [1, 2, 3].map(x, x > 5, x) ==> []
        [1, 2, 3].filter(x, x > 1) ==> [2, 3]
        [1, 2, 3].filter(x, x > 5) ==> []
        ['a', 'b'].map(s, s + s) ==> ['aa', 'bb']
        {'a': 1, 'b': 2}.all(k, k != 'c') ==> true
        {'a': 1, 'b': 2}.exists(k, k == 'b') ==> true
        {'a': 1, 'b': 2}.exists_one(k, k == 'b') ==> true
        {'a': 1}.map(k, k + '!') ==> ['a!']
        {'a': 1, 'b': 2}.filter(k, k == 'b') ==> ['b']
        {'a': 1, 'b': 2}.map(k, mp[k]) ==> [1, 2]
        mp.all(k, mp[k] > 0) ==> true
        l.map(x, x * x) ==> [9, 1, 4]
        l.filter(x, x % 2 == 1) ==> [3, 1]
        l.exists(x, x == i - 40) ==> true
        [0, 1].all(x, 1 / x > 0) ==> error: division by zero
        [1, 0].all(x, 1 / x > 0) ==> error: division by zero
        [0, -1].all(x, 1 / x > 0) ==> false
        [-1, 0].all(x, 1 / x > 0) ==> false
        [0, 1].exists(x, 1 / x > 0) ==> true
        [1, 0].exists(x, 1 / x > 0) ==> true
        [0, -1].exists(x, 1 / x > 0) ==> error: division by zero
        [1, 0].exists_one(x, 1 / x > 0) ==> error: division by zero
        [1, 0].map(x, 1 / x) ==> error: division by zero
        [1, 0].filter(x, 1 / x > 0) ==> error: division by zero
        [1, 'a'].all(x, x > 0) ==> error: no such overload
        [1, 'a'].exists(x, x == 'a') ==> true
        [[1, 2], [3]].all(l, l.all(x, x > 0)) ==> true
        [[1, 2], [3]].map(l, l.size()) ==> [2, 1]
        [1, 2].map(x, [3, 4].map(y, x * y)) ==> [[3, 4], [6, 8]]
        [1, 2].exists(x, [2, 3].exists(y, x == y)) ==> true
        [1].map(i, i + 1) ==> [2]
        [1, 2].map(x, x).map(x, x + 1) ==> [2, 3]
        [1, 2, 3].filter(x, x > 1).map(x, x * 10) ==> [20, 30]
        j.b.all(x, x > 0) ==> true
        j.b.map(x, x + 1) ==> [2, 3, 4]
        j.nested.all(k, k == 'k') ==> true
        object.metadata.labels.all(k, k.size() > 2) ==> true
        object.spec.metrics.exists(m, m.type == 'Resource' && m.resource.name == 'cpu') ==> true
        object.spec.metrics.map(m, m.type) ==> ['Resource']
        dyn(1).all(x, true) ==> error: cannot be iterated
        1.all(x, true) ==> compile: cannot be the range of a comprehension
        [1, 2].all(x, x) ==> compile: all() predicate must be bool
        [1, 2].filter(x, 1) ==> compile: filter() predicate must be bool
        [1, 2].map(x, x, x) ==> compile: map() filter must be bool
        [1].all(x.y, true) ==> compile: all() variable must be a simple name
        [1].all(x, y) ==> compile: undeclared reference to 'y'
        [1].map(x, x) + [x] ==> compile: undeclared reference to 'x'
        [10, 20].all(i, v, v > i) ==> true
        [10, 20].exists(i, v, i == 1 && v == 20) ==> true
        [10, 20].exists(i, v, i == 2) ==> false
        [10, 20].existsOne(i, v, v == 20) ==> true
        [10, 20].exists_one(i, v, v > 0) ==> false
        {'a': 1, 'b': 2}.exists(k, v, k == 'b' && v == 2) ==> true
        {'a': 1, 'b': 2}.all(k, v, v < 3) ==> true
        [1, 2, 3].transformList(i, v, v * i) ==> [0, 2, 6]
        [1, 2, 3].transformList(i, v, i > 0, v) ==> [2, 3]
        {'a': 1, 'b': 2}.transformList(k, v, k + string(v)) ==> ['a1', 'b2']
        {'a': 1}.transformMap(k, v, v + 1) ==> {'a': 2}
        {'a': 1, 'b': 2}.transformMap(k, v, v > 1, v * 10) ==> {'b': 20}
        [5, 6].transformMap(i, v, v * 10) ==> {0: 50, 1: 60}
        [1].all(x, x, true) ==> compile: all() variables must differ
        cel.bind(x, 2, x * x) ==> 4
        cel.bind(a, [1, 2], a.map(y, y + 1)) ==> [2, 3]
        cel.bind(a, 'x', cel.bind(b, a + 'y', b + b)) ==> 'xyxy'
        cel.bind(n, object.spec.minReplicas, n >= 3 && n <= 5) ==> true
        cel.bind(x, 1, x + 'a') ==> compile: found no matching overload for '+'
        """#, table: "macros")

    static let optionals = Case.parse(
        #"""
        optional.of(1).value() ==> 1
        optional.of(1).hasValue() ==> true
        optional.none().hasValue() ==> false
        optional.none().orValue(5) ==> 5
        optional.of(2).orValue(5) ==> 2
        optional.none().value() ==> error: optional.none() dereference
        optional.of(1) == optional.of(1) ==> true
        optional.of(1) == optional.none() ==> false
        optional.none() == optional.none() ==> true
        optional.ofNonZeroValue(0).hasValue() ==> false
        optional.ofNonZeroValue('').hasValue() ==> false
        optional.ofNonZeroValue([]).hasValue() ==> false
        optional.ofNonZeroValue('x') ==> optional.of('x')
        optional.ofNonZeroValue(3).value() ==> 3
        optional.none().or(optional.of(1)) ==> optional.of(1)
        optional.of(2).or(optional.of(1)) ==> optional.of(2)
        optional.none().or(optional.none()).hasValue() ==> false
        j.?a ==> optional.of(1)
        j.?missing ==> optional.none()
        j.?missing.orValue(0) ==> 0
        j.?a.orValue(0) ==> 1
        j.?nested.k ==> optional.of('v')
        j.?nested.?k.orValue('z') ==> 'v'
        j.?missing.k.orValue('z') ==> 'z'
        j.?missing.k.hasValue() ==> false
        j.?a.b ==> error: does not support field selection
        mp.?a ==> optional.of(1)
        mp.?z.orValue(-1) ==> -1
        object.metadata.?labels.hasValue() ==> true
        object.metadata.?annotations.hasValue() ==> false
        object.spec.?behavior.orValue(null) ==> null
        object.metadata.labels[?'tier'].orValue('') ==> 'frontend'
        object.metadata.labels[?'x'].orValue('') ==> ''
        object.metadata.?annotations[?'x'].orValue('none') ==> 'none'
        !has(object.metadata.labels) || object.metadata.labels[?'tier'].orValue('') != 'batch' ==> true
        [1, 2][?1] ==> optional.of(2)
        [1, 2][?5].hasValue() ==> false
        [1, 2][?-1].hasValue() ==> false
        {'a': 1}[?'a'] ==> optional.of(1)
        {'a': 1}[?'b'] ==> optional.none()
        j.b[?0].orValue(0) ==> 1
        j.?b[0] ==> optional.of(1)
        j.?zz[0].hasValue() ==> false
        [1, ?optional.none(), ?optional.of(3)] ==> [1, 3]
        [?j.?a, ?j.?missing] ==> [1]
        [?1] ==> compile: optional list element must be optional
        {'a': 1, ?'b': optional.none(), ?'c': optional.of(2)} ==> {'a': 1, 'c': 2}
        {?'a': j.?missing} ==> {}
        {?'a': 1} ==> compile: optional map entry value must be optional
        optional.of(1).value() + 1 ==> 2
        optional.of('a').orValue(1) ==> compile: found no matching overload for 'orValue'
        1.hasValue() ==> compile: found no matching overload for 'hasValue'
        """#, table: "optionals")

    @Test(arguments: macros) func checkMacro(_ c: Case) { run(c) }
    @Test(arguments: optionals) func checkOptional(_ c: Case) { run(c) }
}
