#pragma once
// What hoteld and hotel-migrate share on the command line: how they say a failure, and how they
// end at once on --help, --version or words that are off.

#include <CLI/CLI.hpp>
#include <cstdio>
#include <optional>
#include <string>

namespace hotel::app {

// Says "program: message" on stderr; returns `code`, the exit code to end with.
inline int fail(const char* program, int code, const std::string& message) {
    std::fprintf(stderr, "%s: %s\n", program, message.c_str());
    return code;
}

// Parses the command line. Returns the exit code when the program must end now: 0 once --help
// or --version has printed, `usage_error` (said on stderr) when the words are off.
inline std::optional<int> parse_command_line(CLI::App& cli, int argc, char** argv,
                                             const char* program, int usage_error) {
    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0)
            return cli.exit(e);
        return fail(program, usage_error, std::string(e.what()) + " (see " + program + " --help)");
    }
    return std::nullopt;
}

}  // namespace hotel::app
