using CreditActors.Host;

var app = CreditActorsApp.Build(args);
await app.RunAsync();
