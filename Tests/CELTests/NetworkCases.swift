import CEL
import Testing

/// Kubernetes' IP and CIDR libraries (k8s.io/apiserver/pkg/cel/library/ip.go and cidr.go).
@Suite struct NetworkCases {
    static let network = Case.parse(
        #"""
        ip('10.0.0.1').family() ==> 4
        ip('2001:db8::1').family() ==> 6
        string(ip('10.0.0.1')) ==> '10.0.0.1'
        string(ip('2001:DB8:0:0:0:0:0:1')) ==> '2001:db8::1'
        string(ip('2001:db8:0:1:0:0:0:1')) ==> '2001:db8:0:1::1'
        string(ip('::')) ==> '::'
        string(ip('1:0:0:1:0:0:0:1')) ==> '1:0:0:1::1'
        string(ip('::fffe:0:1')) ==> '::fffe:0:1'
        ip('::ffff:0:1') ==> error: parse error
        string(ip('64:ff9b::10.0.0.1')) ==> '64:ff9b::a00:1'
        ip('10.0.0.1') == ip('10.0.0.1') ==> true
        ip('10.0.0.1') == ip('10.0.0.2') ==> false
        ip('::1') == ip('0:0:0:0:0:0:0:1') ==> true
        type(ip('10.0.0.1')) == net.IP ==> true
        ip('10.0.0.256') ==> error: parse error
        ip('010.0.0.1') ==> error: parse error
        ip('10.0.0') ==> error: parse error
        ip('::ffff:10.0.0.1') ==> error: parse error
        ip('fe80::1%eth0') ==> error: parse error
        ip('1::2::3') ==> error: parse error
        ip('') ==> error: parse error
        isIP('10.0.0.1') ==> true
        isIP('2001:db8::1') ==> true
        isIP('10.0.0.1/8') ==> false
        isIP('hello') ==> false
        isIP('1:2:3:4:5:6:7:8:9') ==> false
        ip.isCanonical('2001:db8::1') ==> true
        ip.isCanonical('2001:DB8::1') ==> false
        ip.isCanonical('2001:db8:0::1') ==> false
        ip.isCanonical('10.0.0.1') ==> true
        ip.isCanonical('x') ==> error: parse error
        ip('0.0.0.0').isUnspecified() ==> true
        ip('::').isUnspecified() ==> true
        ip('10.0.0.1').isUnspecified() ==> false
        ip('127.0.0.1').isLoopback() ==> true
        ip('127.1.2.3').isLoopback() ==> true
        ip('::1').isLoopback() ==> true
        ip('10.0.0.1').isLoopback() ==> false
        ip('224.0.0.1').isLinkLocalMulticast() ==> true
        ip('224.0.1.1').isLinkLocalMulticast() ==> false
        ip('ff02::1').isLinkLocalMulticast() ==> true
        ip('169.254.1.1').isLinkLocalUnicast() ==> true
        ip('fe80::1').isLinkLocalUnicast() ==> true
        ip('10.0.0.1').isLinkLocalUnicast() ==> false
        ip('10.0.0.1').isGlobalUnicast() ==> true
        ip('2001:db8::1').isGlobalUnicast() ==> true
        ip('255.255.255.255').isGlobalUnicast() ==> false
        ip('127.0.0.1').isGlobalUnicast() ==> false
        ip('224.0.0.1').isGlobalUnicast() ==> false
        cidr('10.0.0.0/8').containsIP(ip('10.1.2.3')) ==> true
        cidr('10.0.0.0/8').containsIP('10.1.2.3') ==> true
        cidr('10.0.0.0/8').containsIP('11.0.0.1') ==> false
        cidr('10.0.0.0/8').containsIP('2001:db8::1') ==> false
        cidr('2001:db8::/32').containsIP('2001:db8:1::1') ==> true
        cidr('0.0.0.0/0').containsIP('1.2.3.4') ==> true
        cidr('10.0.0.0/8').containsCIDR(cidr('10.1.0.0/16')) ==> true
        cidr('10.0.0.0/8').containsCIDR('10.1.0.0/16') ==> true
        cidr('10.1.0.0/16').containsCIDR('10.0.0.0/8') ==> false
        cidr('10.0.0.0/8').containsCIDR('10.0.0.0/8') ==> true
        cidr('192.168.1.5/24').masked() == cidr('192.168.1.0/24') ==> true
        string(cidr('192.168.1.5/24').masked()) ==> '192.168.1.0/24'
        string(cidr('2001:db8::1/32').masked()) ==> '2001:db8::/32'
        string(cidr('10.0.0.0/9').masked()) ==> '10.0.0.0/9'
        string(cidr('10.255.0.0/9').masked()) ==> '10.128.0.0/9'
        cidr('192.168.1.5/24').ip() == ip('192.168.1.5') ==> true
        cidr('192.168.1.5/24').prefixLength() ==> 24
        string(cidr('2001:DB8::/32')) ==> '2001:db8::/32'
        type(cidr('10.0.0.0/8')) == net.IPNet ==> true
        cidr('10.0.0.0/33') ==> error: parse error
        cidr('10.0.0.0') ==> error: parse error
        cidr('10.0.0.0/08') ==> error: parse error
        cidr('10.0.0.0/8').containsIP('x') ==> error: parse error
        isCIDR('10.0.0.0/8') ==> true
        isCIDR('2001:db8::/129') ==> false
        isCIDR('10.0.0.1') ==> false
        ip(1) ==> compile: found no matching overload for 'ip'
        ip('10.0.0.1').containsIP('10.0.0.1') ==> compile: found no matching overload for 'containsIP'
        ip('10.0.0.1') == cidr('10.0.0.0/8') ==> compile: found no matching overload for '_==_'
        """#, table: "network")

    @Test(arguments: network) func checkNetwork(_ c: Case) { run(c) }
}
