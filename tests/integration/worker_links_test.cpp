// Link hygiene of the worker programs: rtts-festival carries Festival and what every worker
// needs (the worker protocol and job loop, pitch shifting), not the server's libraries. A
// Festival worker must not load eSpeak NG, OpenSSL, ICU, libarchive, Boost.URL or the server's
// encoders. (Festival's own libestools brings PulseAudio, and with it X11 and libsndfile's
// codecs: those are Festival's and are not checked.)
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>

namespace fs = std::filesystem;

namespace {

std::string loaded_by(const fs::path& program) {
  std::string command = "ldd '" + program.string() + "'";
  std::string out;
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    char line[512];
    while (std::fgets(line, sizeof line, pipe)) out += line;
    ::pclose(pipe);
  }
  return out;
}

} // namespace

TEST(WorkerLinks, FestivalsWorkerLoadsFestivalAndNotTheServer) {
  fs::path festival = fs::path(RTTS_BINARY).parent_path() / "rtts-festival";
  if (!fs::exists(festival)) GTEST_SKIP() << "built without Festival";
  std::string libraries = loaded_by(festival);
  ASSERT_NE(libraries.find("libestools"), std::string::npos) << libraries;
  for (const char* server_only : {"libespeak-ng", "libssl", "libcrypto", "libicu", "libarchive", "libboost_url", "libsoxr", "libopusenc"})
    EXPECT_EQ(libraries.find(server_only), std::string::npos) << server_only << " in\n" << libraries;
}
