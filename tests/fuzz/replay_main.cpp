// A main() for a fuzz target without libFuzzer: runs LLVMFuzzerTestOneInput once on each file
// named on the command line, so that the saved regression inputs and seeds are replayed as an
// ordinary ctest test with any compiler (as CLI11's tests/FuzzFailTest.cpp does). A finding
// aborts (a broken property) or throws out of main; success prints how many inputs ran.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
    int ran = 0;
    for (int i = 1; i < argc; ++i) {
        std::ifstream in(argv[i], std::ios::binary);
        if (!in) {
            std::fprintf(stderr, "replay: cannot read %s\n", argv[i]);
            return 1;
        }
        std::vector<char> bytes{std::istreambuf_iterator<char>(in),
                                std::istreambuf_iterator<char>()};
        std::fprintf(stderr, "replay: %s\n", argv[i]);
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
        ++ran;
    }
    std::printf("replayed %d input(s)\n", ran);
    return ran > 0 ? 0 : 1;
}
