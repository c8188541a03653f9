#include "app.hpp"

int main(int argc, char** argv) {
    return followup::cli::run(argc, argv);
}
