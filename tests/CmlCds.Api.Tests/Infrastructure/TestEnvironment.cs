using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace CmlCds.Api.Tests.Infrastructure;

/// <summary>An <see cref="IHostEnvironment"/> for code under test that reads the environment's name or content root.</summary>
public sealed class TestEnvironment(string name, string contentRoot) : IHostEnvironment
{
    public string EnvironmentName { get; set; } = name;
    public string ApplicationName { get; set; } = "CmlCds.Api";
    public string ContentRootPath { get; set; } = contentRoot;
    public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
}
