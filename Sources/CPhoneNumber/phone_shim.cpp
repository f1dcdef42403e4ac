// libphonenumber behind the C API of phone_shim.h. PhoneNumberUtil is a process-wide singleton
// whose Parse/IsValidNumber/Format are const and safe to call from several threads.
#include "phone_shim.h"

#include <cstring>
#include <string>

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

namespace {

// Copies `value` with its NUL; false when it does not fit (never truncate a number).
bool copy_out(const std::string &value, char *buffer, size_t size) {
    if (value.size() + 1 > size) return false;
    std::memcpy(buffer, value.c_str(), value.size() + 1);
    return true;
}

}  // namespace

extern "C" enum crm_phone_status crm_phone_parse(const char *text, const char *region, crm_phone_parsed *out) {
    out->e164[0] = '\0';
    out->extension[0] = '\0';
    if (text == nullptr || region == nullptr) return CRM_PHONE_NOT_A_NUMBER;
    const PhoneNumberUtil &util = *PhoneNumberUtil::GetInstance();
    PhoneNumber number;
    if (util.Parse(text, region, &number) != PhoneNumberUtil::NO_PARSING_ERROR) return CRM_PHONE_NOT_A_NUMBER;
    std::string e164;
    util.Format(number, PhoneNumberUtil::E164, &e164);
    if (!copy_out(e164, out->e164, sizeof out->e164)) return CRM_PHONE_NOT_A_NUMBER;
    if (number.has_extension() && !copy_out(number.extension(), out->extension, sizeof out->extension)) {
        return CRM_PHONE_NOT_A_NUMBER;
    }
    return util.IsValidNumber(number) ? CRM_PHONE_VALID : CRM_PHONE_INVALID;
}
