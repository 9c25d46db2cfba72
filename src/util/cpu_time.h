// Internal: CPU time of the calling thread or the process, for the stage clocks of --timings.
#pragma once

namespace eventgraph {

// CPU seconds used by the calling thread so far (CLOCK_THREAD_CPUTIME_ID;
// 0 if the clock is unavailable). The stage clocks count work, not time
// spent waiting for a core on a shared machine.
double thread_cpu_seconds();
// CPU seconds used by all the process's threads so far
// (CLOCK_PROCESS_CPUTIME_ID; 0 if unavailable).
double process_cpu_seconds();

}  // namespace eventgraph
