using System.Globalization;
using MineGuard.AnalysisBench;

// The analysis benchmarks of issue 16. The first argument picks one:
//   dotnet run -c Release --project bench/MineGuard.AnalysisBench -- meters [--seed 15] [--meters 1000] [--scan-meters 10000] [--noise-percent 8]
//   dotnet run -c Release --project bench/MineGuard.AnalysisBench -- vehicles [--seed 16] [--passages 1000000] [--checkpoints 60] [--night 100] [--pairs 100] [--commuters 2000]
int Arg(string name, int fallback) => args.SkipWhile(a => a != name).Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).DefaultIfEmpty(fallback).First();
switch (args.FirstOrDefault())
{
    case "meters":
        MeterBench.Run(Arg("--seed", 15), Arg("--meters", 1000), Arg("--scan-meters", 10_000), Arg("--noise-percent", 8) / 100.0);
        return 0;
    case "vehicles": VehicleBench.Run(Arg("--seed", 16), Arg("--passages", 1_000_000), Arg("--checkpoints", 60), Arg("--night", 100), Arg("--pairs", 100), Arg("--commuters", 2000)); return 0;
    default:
        Console.Error.WriteLine("usage: MineGuard.AnalysisBench meters [--seed N] [--meters N] [--scan-meters N] [--noise-percent N] | vehicles [--seed N] [--passages N] [--checkpoints N] [--night N] [--pairs N] [--commuters N]");
        return 2;
}
