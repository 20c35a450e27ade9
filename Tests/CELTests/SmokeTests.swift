import CEL
import Testing

@Suite struct SmokeTests {
    static let cases = Case.parse(
        """
        1 + 2 ==> 3
        object.spec.minReplicas >= 3 && object.metadata.namespace.startsWith('prod-') ==> true
        object.spec.minReplicass ==> compile: 1:12: undefined field 'minReplicass'
        1 == 'a' ==> compile: 1:3: found no matching overload for '_==_'
        1 / 0 ==> error: division by zero
        """, table: "smoke")

    @Test(arguments: cases) func smoke(_ c: Case) { run(c) }
}
