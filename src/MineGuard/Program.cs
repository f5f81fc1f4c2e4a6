using MineGuard.Platform.Cli;
using MineGuard.Platform.Hosting;

// `mineguard <verb> …` runs an operator command; anything else starts the server.
var (verb, hostArgs) = Cli.Split(args);
var builder = WebApplication.CreateBuilder(hostArgs);
builder.AddMineGuard();
var app = builder.Build();
app.UseMineGuard();
if (verb is not null) return await Cli.RunAsync(app, verb);
await app.RunAsync();
return 0;

public partial class Program;
