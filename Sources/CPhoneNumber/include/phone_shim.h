#ifndef CRM_PHONE_SHIM_H
#define CRM_PHONE_SHIM_H

/* A C face over Google's libphonenumber (C++), so that Swift needs no C++ interop.
 * One call: parse a number as typed, with the store's default region, into E.164 and extension. */

#ifdef __cplusplus
extern "C" {
#endif

enum crm_phone_status {
    CRM_PHONE_VALID = 0,       /* a number valid in its region's plan */
    CRM_PHONE_INVALID = 1,     /* parsed, but no such number (wrong length, unassigned range) */
    CRM_PHONE_NOT_A_NUMBER = 2 /* libphonenumber could not read it at all */
};

typedef struct {
    /* "+" and at most 15 digits, NUL-terminated; set for VALID and INVALID. */
    char e164[20];
    /* The extension's digits ("" when none); libphonenumber keeps at most 20 (ext.) and we
     * refuse a longer one as NOT_A_NUMBER rather than truncate it. */
    char extension[24];
} crm_phone_parsed;

/* `text` and `region` are UTF-8 and NUL-terminated; `region` is an ISO 3166 alpha-2 code
 * ("RU"), used only for numbers written without an international prefix. Thread-safe. */
enum crm_phone_status crm_phone_parse(const char *text, const char *region, crm_phone_parsed *out);

#ifdef __cplusplus
}
#endif

#endif
