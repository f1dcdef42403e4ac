import Foundation
import Messaging

/// The relay's idle moments also look at how full the dead-letter queue and `crm.unrouted`
/// are: their depth is a metric, and a queue past 80 % of its bound is a warning in the logs
/// (a full one refuses new messages, which the relay then parks).
extension OutboxRelay {
    static let deadCheckInterval: Duration = .seconds(15)

    func watchDeadLettersIfDue(on connection: AMQPConnection) throws {
        let now = ContinuousClock.now
        guard lastDeadCheck.withLock({ last in
            guard last.map({ now - $0 > Self.deadCheckInterval }) ?? true else { return false }
            last = now
            return true
        }) else { return }
        for queue in [topology.deadQueue, Exchanges.unrouted] {
            // Passive: only reads the count. The consumer declares them; until then there is nothing to read.
            guard let info = try? connection.declareQueue(queue, passive: true) else {
                throw AMQPError.library(operation: "queue.declare \(queue)", message: "not declared yet")
            }
            metrics.deadLetterDepth(queue).set(Int64(info.messageCount))
            if info.messageCount * 5 >= topology.deadLetterBounds.maxLength * 4 {
                logger.warning("a dead-letter queue is filling up: look at it with crmctl dead list", metadata: [
                    "queue": "\(queue)", "messages": "\(info.messageCount)",
                    "max_length": "\(topology.deadLetterBounds.maxLength)",
                ])
            }
        }
    }
}
