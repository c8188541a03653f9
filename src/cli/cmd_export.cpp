#include "commands.hpp"

namespace followup::cli {

void setup_export(CLI::App&, Context&) {}

} // namespace followup::cli
