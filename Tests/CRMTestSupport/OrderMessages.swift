import Contracts
import Foundation
import Messaging

/// An `order.placed` message as a shop would publish it.
public func orderPlacedMessage(store: String = "s1", order: String, externalID: String? = nil, phone: String? = "+79120000001",
                        email: String? = nil, messageID: String = UUID().uuidString, replyTo: String? = nil) -> AMQPMessage {
    let body = OrderPlaced(
        storeID: store, orderID: order, placedAt: Date(timeIntervalSince1970: 1_714_558_530),
        customer: OrderCustomer(externalID: externalID, firstName: "Anna", lastName: "Ivanova", phone: phone, email: email),
        total: Money(amount: 259_800, currency: "RUB"), paymentMethod: .cashOnDelivery)
    return AMQPMessage(body: try! JSONCoding.encoder.encode(body), messageID: messageID, type: "order.placed",
                       replyTo: replyTo, appID: "shop")
}
