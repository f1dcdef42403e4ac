#ifndef CRABBITMQ_SHIM_H
#define CRABBITMQ_SHIM_H
#include <amqp.h>
#include <amqp_framing.h>
#include <amqp_tcp_socket.h>
#include <amqp_ssl_socket.h>
#include <sys/time.h>

/* amqp_login is variadic, which Swift cannot call: this fixed-arity wrapper logs in with PLAIN. */
static inline amqp_rpc_reply_t crm_amqp_login_plain(amqp_connection_state_t state, const char *vhost,
                                                    int channel_max, int frame_max, int heartbeat,
                                                    const char *user, const char *password) {
    return amqp_login(state, vhost, channel_max, frame_max, heartbeat, AMQP_SASL_METHOD_PLAIN, user, password);
}

/* Method ids are macros with casts, which Swift does not import: re-export them as constants. */
static const amqp_method_number_t CRM_BASIC_DELIVER_METHOD = AMQP_BASIC_DELIVER_METHOD;
static const amqp_method_number_t CRM_BASIC_ACK_METHOD = AMQP_BASIC_ACK_METHOD;
static const amqp_method_number_t CRM_BASIC_NACK_METHOD = AMQP_BASIC_NACK_METHOD;
static const amqp_method_number_t CRM_BASIC_RETURN_METHOD = AMQP_BASIC_RETURN_METHOD;
static const amqp_method_number_t CRM_BASIC_CANCEL_METHOD = AMQP_BASIC_CANCEL_METHOD;
static const amqp_method_number_t CRM_CHANNEL_CLOSE_METHOD = AMQP_CHANNEL_CLOSE_METHOD;
static const amqp_method_number_t CRM_CHANNEL_CLOSE_OK_METHOD = AMQP_CHANNEL_CLOSE_OK_METHOD;
static const amqp_method_number_t CRM_CONNECTION_CLOSE_METHOD = AMQP_CONNECTION_CLOSE_METHOD;
static const amqp_method_number_t CRM_CONNECTION_CLOSE_OK_METHOD = AMQP_CONNECTION_CLOSE_OK_METHOD;
static const amqp_flags_t CRM_PROPERTY_FLAGS_ALL = 0;
#endif
