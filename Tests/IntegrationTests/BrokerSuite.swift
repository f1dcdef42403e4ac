import Testing

/// All tests that use the broker run one after another: one of them restarts the broker, which
/// would cut every other test's connections. Each test still has a vhost of its own.
@Suite(.serialized, .enabled(if: TestBroker.isConfigured, "needs AMQP_URL and CRM_RABBITMQCTL (scripts/test sets them)"))
struct BrokerSuite {}
