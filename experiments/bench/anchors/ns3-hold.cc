// The hold model on ns-3's kernel, as leaklab's experiments/bench/hold.ts runs it on its own:
// N events pending; each event, when dispatched, schedules its successor at now + Exp(1),
// the increments taken from a precomputed ring of 2^20 values. Events per second over timed
// batches after a warm-up; one JSON line on stdout.
//
//   ns3-hold <scheduler, e.g. ns3::PriorityQueueScheduler> <pending events> <seconds>
// Built by experiments/bench/run.ts when Debian's libns3-dev is installed.
#include "ns3/core-module.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

using namespace ns3;

static std::vector<double> ring;
static uint64_t at = 0;
static uint64_t left = 0;

static void Hold()
{
  double dt = ring[at++ & (ring.size() - 1)];
  Simulator::Schedule(Seconds(dt), &Hold);
  if (--left == 0) Simulator::Stop();
}

int main(int argc, char** argv)
{
  if (argc < 4) {
    std::fprintf(stderr, "usage: ns3-hold <scheduler> <pending> <seconds>\n");
    return 2;
  }
  std::string scheduler = argv[1];
  uint64_t n = std::stoull(argv[2]);
  double seconds = std::stod(argv[3]);
  std::mt19937_64 gen(12345);
  std::exponential_distribution<double> exp1(1.0);
  ring.resize(1 << 20);
  for (auto& x : ring) x = exp1(gen);
  ObjectFactory factory;
  factory.SetTypeId(scheduler);
  Simulator::SetScheduler(factory);
  for (uint64_t i = 0; i < n; i++) Simulator::Schedule(Seconds(exp1(gen)), &Hold);
  const uint64_t batch = 100000;
  auto run = [&](uint64_t events) {
    left = events;
    Simulator::Run();
  };
  // Warm up past the initial transient of the pending set (at least 2N holds).
  run(std::max<uint64_t>(2 * n, 1000000));
  std::vector<double> rates;
  auto start = std::chrono::steady_clock::now();
  while (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() < seconds) {
    auto t0 = std::chrono::steady_clock::now();
    run(batch);
    double dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    rates.push_back(batch / dt);
  }
  std::sort(rates.begin(), rates.end());
  double mean = 0;
  for (double r : rates) mean += r;
  mean /= rates.size();
  std::printf("{\"variant\":\"ns3-%s\",\"pending\":%llu,\"eventsPerSecond\":%.1f,\"eventsPerSecondMedian\":%.1f,\"samples\":%zu}\n",
              scheduler.c_str(), (unsigned long long)n, mean, rates[rates.size() / 2], rates.size());
  Simulator::Destroy();
  return 0;
}
