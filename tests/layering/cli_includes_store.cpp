// Must compile (test Layering.CliSeesTheStoreInterface): the control for cli_includes_sqlite.cpp,
// built the same way, so that the failure there is the include and nothing else.
#include <followup/store/repository.hpp>

int layering_probe_store() {
    return static_cast<int>(sizeof(followup::Repository) > 0);
}
