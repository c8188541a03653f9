#include "commands.hpp"

namespace followup::cli {

void setup_import(CLI::App&, Context&) {}

} // namespace followup::cli
