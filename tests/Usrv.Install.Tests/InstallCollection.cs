namespace Usrv.Install.Tests;

/// <summary>The install tests share one pack and one tool install, and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class InstallCollection : ICollectionFixture<LocalPackages>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "install";
}
