// Must NOT compile (test Layering.CliCannotSeeSqlite): a front-end file, built with the front
// end's include paths and libraries, cannot reach a private header of a store backend.
#include <store/sqlite/sqlite_native.hpp>

int layering_probe_sqlite() {
    return 0;
}
