import CEL
import Testing

/// Kubernetes' CEL libraries (k8s.io/apiserver/pkg/cel/library: lists.go, quantity.go; sets from cel-go ext) and
/// the duration/timestamp functions (cel-spec conformance file timestamps).
@Suite struct KubernetesCases {
    static let lists = Case.parse(
        #"""
        [1, 2, 3].isSorted() ==> true
        [3, 1].isSorted() ==> false
        [1, 1, 2].isSorted() ==> true
        ['a', 'b'].isSorted() ==> true
        ['b', 'a'].isSorted() ==> false
        [].isSorted() ==> true
        [1.5, 2.0].isSorted() ==> true
        l.isSorted() ==> false
        [1, 2, 3].sum() ==> 6
        [1.5, 2.5].sum() ==> 4.0
        [1u, 2u].sum() ==> 3u
        [].sum() ==> 0
        [duration('1s'), duration('2s')].sum() ==> duration('3s')
        [9223372036854775807, 1].sum() ==> error: overflow
        l.sum() ==> 6
        [3, 1, 2].min() ==> 1
        [3, 1, 2].max() ==> 3
        ['b', 'a', 'c'].min() ==> 'a'
        ['b', 'a', 'c'].max() ==> 'c'
        [2.5, 1.5].min() ==> 1.5
        [1].max() ==> 1
        [].min() ==> error: min called on empty list
        [].max() ==> error: max called on empty list
        l.max() ==> 3
        [1, 2, 3, 2].indexOf(2) ==> 1
        [1, 2, 3, 2].lastIndexOf(2) ==> 3
        [1].indexOf(5) ==> -1
        [1].lastIndexOf(5) ==> -1
        ['a', 'b'].indexOf('b') ==> 1
        [[1], [2]].indexOf([2]) ==> 1
        ls.indexOf('c') ==> 2
        sets.contains([1, 2, 3], [1, 2]) ==> true
        sets.contains([1], [2]) ==> false
        sets.contains([1], []) ==> true
        sets.equivalent([1, 2], [2, 1, 1]) ==> true
        sets.equivalent([1, 2], [1]) ==> false
        sets.intersects([1, 2], [2, 3]) ==> true
        sets.intersects([1], []) ==> false
        sets.contains([1, 2], ['a']) ==> compile: found no matching overload for 'sets.contains'
        [1, 2].sum(1) ==> compile: found no matching overload for 'sum'
        """#, table: "lists")

    static let quantities = Case.parse(
        #"""
        quantity('1') == quantity('1000m') ==> true
        quantity('1Gi') == quantity('1024Mi') ==> true
        quantity('1k') == quantity('1000') ==> true
        quantity('1') == quantity('2') ==> false
        quantity('1Gi').isGreaterThan(quantity('1G')) ==> true
        quantity('1G').isGreaterThan(quantity('1Gi')) ==> false
        quantity('500m').isLessThan(quantity('1')) ==> true
        quantity('1').isLessThan(quantity('1')) ==> false
        quantity('1k').compareTo(quantity('1000')) ==> 0
        quantity('2').compareTo(quantity('1')) ==> 1
        quantity('1').compareTo(quantity('2')) ==> -1
        quantity('1.5').asApproximateFloat() ==> 1.5
        quantity('100m').asApproximateFloat() ==> 0.1
        quantity('1Ki').asInteger() ==> 1024
        quantity('1Mi').asInteger() ==> 1048576
        quantity('2k').asInteger() ==> 2000
        quantity('1e3').asInteger() ==> 1000
        quantity('1.5e3').asInteger() ==> 1500
        quantity('5E-1').asApproximateFloat() ==> 0.5
        quantity('1E').asApproximateFloat() ==> 1e18
        quantity('1Ei').asInteger() ==> 1152921504606846976
        quantity('100Ei').asInteger() ==> error: cannot convert value to integer
        quantity('500m').isInteger() ==> false
        quantity('2').isInteger() ==> true
        quantity('500m').asInteger() ==> error: cannot convert value to integer
        quantity('1').add(quantity('500m')) == quantity('1500m') ==> true
        quantity('1').add(2) == quantity('3') ==> true
        quantity('1').sub(quantity('2')).sign() ==> -1
        quantity('3').sub(1).asInteger() ==> 2
        quantity('0').sign() ==> 0
        quantity('-1.5').sign() ==> -1
        quantity('+2').sign() ==> 1
        quantity('.5').asApproximateFloat() ==> 0.5
        quantity('5.').asApproximateFloat() ==> 5.0
        quantity('250n').asApproximateFloat() ==> 0.00000025
        quantity('3u').isLessThan(quantity('1m')) ==> true
        isQuantity('1.5Gi') ==> true
        isQuantity('500m') ==> true
        isQuantity('1.5GB') ==> false
        isQuantity('') ==> false
        isQuantity('Gi') ==> false
        isQuantity('1 Gi') ==> false
        quantity('abc') ==> error: quantities must match
        quantity('1GB') ==> error: quantities must match
        quantity('1') < quantity('2') ==> compile: found no matching overload for '<'
        quantity(1) ==> compile: found no matching overload for 'quantity'
        quantity('1').add('1') ==> compile: found no matching overload for 'add'
        """#, table: "quantities")

    static let time = Case.parse(
        #"""
        duration('1h') == duration('60m') ==> true
        duration('1h30m').getMinutes() ==> 90
        duration('1h30m').getHours() ==> 1
        duration('1.5s').getMilliseconds() ==> 1500
        duration('90s').getSeconds() ==> 90
        duration('1ms') == duration('1000us') ==> true
        duration('1us') == duration('1000ns') ==> true
        duration('1µs') == duration('1us') ==> true
        duration('-1s') < duration('0s') ==> true
        duration('0') == duration('0s') ==> true
        duration('+5s') == duration('5s') ==> true
        duration('1s') + duration('500ms') == duration('1.5s') ==> true
        duration('1s') - duration('2s') == duration('-1s') ==> true
        -duration('1s') == duration('-1s') ==> true
        duration('1x') ==> error: invalid duration
        duration('') ==> error: invalid duration
        duration('s') ==> error: invalid duration
        duration('3000000h') ==> error: out of range
        duration(dur) == dur ==> true
        dur.getMinutes() ==> 1
        dur.getSeconds() ==> 90
        timestamp('2024-01-02T03:04:05Z').getFullYear() ==> 2024
        timestamp('2024-01-02T03:04:05Z').getMonth() ==> 0
        timestamp('2024-01-02T03:04:05Z').getDate() ==> 2
        timestamp('2024-01-02T03:04:05Z').getDayOfMonth() ==> 1
        timestamp('2024-01-02T03:04:05Z').getDayOfWeek() ==> 2
        timestamp('2024-01-02T03:04:05Z').getDayOfYear() ==> 1
        timestamp('2024-01-02T03:04:05Z').getHours() ==> 3
        timestamp('2024-01-02T03:04:05Z').getMinutes() ==> 4
        timestamp('2024-01-02T03:04:05Z').getSeconds() ==> 5
        timestamp('2024-01-02T03:04:05.123Z').getMilliseconds() ==> 123
        timestamp('2024-01-02T03:04:05Z').getHours('+02:00') ==> 5
        timestamp('2024-01-02T03:04:05Z').getHours('-05:30') ==> 21
        timestamp('2024-01-02T03:04:05Z').getDate('-05:30') ==> 1
        timestamp('2024-07-01T12:00:00Z').getHours('Europe/Paris') ==> 14
        timestamp('2024-01-01T12:00:00Z').getHours('Europe/Paris') ==> 13
        timestamp('2024-01-01T12:00:00Z').getHours('Nowhere/City') ==> error: unknown time zone
        timestamp('2024-02-29T00:00:00Z').getDayOfYear() ==> 59
        timestamp('2024-12-31T00:00:00Z').getDayOfYear() ==> 365
        timestamp('1970-01-01T00:00:00Z').getDayOfWeek() ==> 4
        timestamp('1969-12-31T23:59:59Z').getFullYear() ==> 1969
        timestamp('2024-01-02T03:04:05+01:00') == timestamp('2024-01-02T02:04:05Z') ==> true
        timestamp('2024-01-02T00:00:00Z') - timestamp('2024-01-01T00:00:00Z') ==> duration('24h')
        timestamp('2024-01-01T00:00:00Z') + duration('1h') ==> timestamp('2024-01-01T01:00:00Z')
        duration('1h') + timestamp('2024-01-01T00:00:00Z') ==> timestamp('2024-01-01T01:00:00Z')
        timestamp('2024-01-01T00:00:00Z') - duration('1s') ==> timestamp('2023-12-31T23:59:59Z')
        timestamp('2024-01-01T00:00:00.5Z') + duration('0.6s') ==> timestamp('2024-01-01T00:00:01.1Z')
        timestamp('2024-13-01T00:00:00Z') ==> error: invalid timestamp
        timestamp('2023-02-29T00:00:00Z') ==> error: invalid timestamp
        timestamp('2024-01-01') ==> error: invalid timestamp
        timestamp('2024-01-01T00:00:00') ==> error: invalid timestamp
        timestamp(0) ==> timestamp('1970-01-01T00:00:00Z')
        timestamp(1700000000) == t ==> true
        timestamp('9999-12-31T23:59:59Z') + duration('1s') ==> error: out of range
        timestamp('0001-01-01T00:00:00Z') - duration('1s') ==> error: out of range
        t.getFullYear() ==> 2023
        t < timestamp('2024-01-01T00:00:00Z') ==> true
        int(t) ==> 1700000000
        t + dur > t ==> true
        timestamp('2024-01-01T00:00:00Z') + 1 ==> compile: found no matching overload for '+'
        duration(1) ==> compile: found no matching overload for 'duration'
        """#, table: "time")

    @Test(arguments: lists) func checkList(_ c: Case) { run(c) }
    @Test(arguments: quantities) func checkQuantity(_ c: Case) { run(c) }
    @Test(arguments: time) func checkTime(_ c: Case) { run(c) }
}
