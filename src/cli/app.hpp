#pragma once
// The command-line program: parses arguments, runs one command, maps errors to exit codes.

namespace followup::cli {

/// Runs followup with the process's arguments and returns the exit status.
int run(int argc, const char* const* argv);

} // namespace followup::cli
