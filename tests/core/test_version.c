/* The version a program sees at run time is the one it was built with. */
#include <criterion/criterion.h>

#include <batteries/core.h>

Test(version, matches_header_and_build)
{
    cr_assert_str_eq(bt_version(), BT_VERSION_STRING);
    cr_assert_str_eq(bt_version(), BT_TEST_PROJECT_VERSION);
    cr_assert_eq(bt_version_number(), BT_VERSION_NUMBER);
    cr_assert_eq(BT_VERSION_NUMBER,
                 BT_VERSION_MAJOR * 10000 + BT_VERSION_MINOR * 100 + BT_VERSION_PATCH);
}
