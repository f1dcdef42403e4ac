import Logging
import ServiceLifecycle
import UnixSignals

/// Re-reads the access policy on SIGHUP, so that a user's stores change without a restart.
/// A file that no longer parses is logged and the policy in force stays.
struct PolicyReloader: Service {
    let access: AccessControl
    let logger: Logger

    func run() async throws {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        for await _ in hangups.cancelOnGracefulShutdown() {
            do {
                try access.reload()
                logger.info("access policy reloaded", metadata: ["users": "\(access.current.users.count)"])
            } catch {
                logger.error("access policy not reloaded", metadata: ["error": "\(error)"])
            }
        }
    }
}
