#include "commands.hpp"

namespace followup::cli {

void setup_maintenance(CLI::App&, Context&) {}

} // namespace followup::cli
