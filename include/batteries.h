/*
 * batteries.h — the umbrella header: includes every module's header.
 * Prefer including only the modules you use: <batteries/core.h>, ...
 */
#ifndef BATTERIES_H
#define BATTERIES_H

#include <batteries/argparse.h>
#include <batteries/core.h>
#include <batteries/futures.h>
#include <batteries/glob.h>
#include <batteries/hashlib.h>
#include <batteries/os.h>
#include <batteries/path.h>
#include <batteries/queue.h>
#include <batteries/multiprocessing.h>
#include <batteries/re.h>
#include <batteries/shutil.h>
#include <batteries/signal.h>
#include <batteries/socket.h>
#include <batteries/struct.h>
#include <batteries/subprocess.h>
#include <batteries/threading.h>
#include <batteries/time.h>

#endif /* BATTERIES_H */
