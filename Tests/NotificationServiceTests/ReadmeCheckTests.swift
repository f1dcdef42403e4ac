import CRMTestSupport
import Foundation
import Testing

/// The README's receiver check is the one the tests' receiver runs (scripts/webhook_receiver.py,
/// between its markers): what users copy is what was tested.
@Suite struct ReadmeCheckTests {
    @Test func theReadmeShowsTheTestedCheck() throws {
        let script = try String(contentsOf: WebhookReceiver.script, encoding: .utf8)
        let begin = try #require(script.range(of: "# BEGIN README CHECK\n"))
        let end = try #require(script.range(of: "# END README CHECK"))
        let check = String(script[begin.upperBound..<end.lowerBound])
        #expect(check.contains("def verify(") && check.contains("hmac.compare_digest"))
        let readme = try String(contentsOf: WebhookReceiver.script.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("```python\n" + check + "```\n"), "README.md's Python check differs from scripts/webhook_receiver.py's")
    }
}
