// The text exposition format, written in one place (metrics/registry): families registered once
// and gauges read from live state render alike, with escaped label values.
#include "metrics/registry.hpp"

#include <gtest/gtest.h>

using namespace rtts::metrics;

TEST(Metrics, GaugesRenderLikeTheRegisteredFamilies) {
  std::string out;
  render_gauge(out, "rtts_workers", "Worker processes.", {"engine", "state"}, {{{"espeak", "ready"}, 2}, {{"we\"ird\n", "busy"}, 0.25}});
  EXPECT_EQ(out,
            "# HELP rtts_workers Worker processes.\n# TYPE rtts_workers gauge\n"
            "rtts_workers{engine=\"espeak\",state=\"ready\"} 2\n"
            "rtts_workers{engine=\"we\\\"ird\\n\",state=\"busy\"} 0.25\n");
  std::string plain;
  render_gauge(plain, "rtts_active_requests", "Requests.", {}, {{{}, 7}});
  EXPECT_EQ(plain, "# HELP rtts_active_requests Requests.\n# TYPE rtts_active_requests gauge\nrtts_active_requests 7\n");
  counter c("rtts_test_total", "Things.", {"kind"});
  c.inc({"a"}, 3);
  std::string counted;
  c.render(counted);
  EXPECT_EQ(counted, "# HELP rtts_test_total Things.\n# TYPE rtts_test_total counter\nrtts_test_total{kind=\"a\"} 3\n");
}
