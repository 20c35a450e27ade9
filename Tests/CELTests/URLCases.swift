import CEL
import Testing

/// Kubernetes' URL library (k8s.io/apiserver/pkg/cel/library/urls.go, over Go's url.ParseRequestURI).
@Suite struct URLCases {
    static let urls = Case.parse(
        #"""
        url('https://example.com/path').getScheme() ==> 'https'
        url('HTTPS://example.com').getScheme() ==> 'https'
        url('https://example.com:8080/path').getHost() ==> 'example.com:8080'
        url('https://example.com:8080/path').getHostname() ==> 'example.com'
        url('https://example.com:8080/path').getPort() ==> '8080'
        url('https://example.com/path').getPort() ==> ''
        url('https://user:pw@example.com/').getHost() ==> 'example.com'
        url('https://[::1]:80/').getHost() ==> '[::1]:80'
        url('https://[::1]:80/').getHostname() ==> '::1'
        url('https://[::1]:80/').getPort() ==> '80'
        url('https://[::1]/').getPort() ==> ''
        url('https://example.com/a%20b/c').getEscapedPath() ==> '/a%20b/c'
        url('https://example.com').getEscapedPath() ==> ''
        url('/absolute/path').getEscapedPath() ==> '/absolute/path'
        url('/absolute/path').getScheme() ==> ''
        url('/absolute/path').getHost() ==> ''
        url('https://example.com/?a=1&b=2&a=3').getQuery() ==> {'a': ['1', '3'], 'b': ['2']}
        url('https://example.com/?q=a+b%21').getQuery() ==> {'q': ['a b!']}
        url('https://example.com/?flag').getQuery() ==> {'flag': ['']}
        url('https://example.com/').getQuery() ==> {}
        url('https://example.com/?x=%zz&y=1').getQuery() ==> {'y': ['1']}
        url('https://example.com/path').getQuery().size() ==> 0
        string(url('https://example.com/path?q=1')) ==> 'https://example.com/path?q=1'
        url('https://example.com') == url('https://example.com') ==> true
        type(url('https://example.com')) == kubernetes.URL ==> true
        isURL('https://example.com/path') ==> true
        isURL('/path/only') ==> true
        isURL('example.com') ==> false
        isURL('mailto:someone@example.com') ==> false
        isURL('https://exa mple.com') ==> false
        isURL('https://example.com:port/') ==> false
        isURL('https://example.com/%zz') ==> false
        isURL('') ==> false
        isURL('1http://x/') ==> false
        url('not a url') ==> error: URL parse error
        url('relative/path') ==> error: URL parse error
        url(1) ==> compile: found no matching overload for 'url'
        url('https://example.com').getPort() + 1 ==> compile: found no matching overload for '+'
        """#, table: "urls")

    @Test(arguments: urls) func checkURL(_ c: Case) { run(c) }
}
