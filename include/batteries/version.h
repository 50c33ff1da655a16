/*
 * batteries/version.h — the version this header set belongs to.
 * Kept equal to meson.build's project version (a test checks it).
 */
#ifndef BATTERIES_VERSION_H
#define BATTERIES_VERSION_H

#define BT_VERSION_MAJOR 0
#define BT_VERSION_MINOR 1
#define BT_VERSION_PATCH 0
#define BT_VERSION_STRING "0.1.0"
#define BT_VERSION_NUMBER                                                      \
    (BT_VERSION_MAJOR * 10000 + BT_VERSION_MINOR * 100 + BT_VERSION_PATCH)

#endif /* BATTERIES_VERSION_H */
