using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CmlCds.Api.Storage;

/// <summary>
/// The service's database, SQLite or PostgreSQL, through plain ADO.NET: the same SQL for both (TEXT timestamps in
/// ISO 8601 UTC, which sort as they read). Opens connections and runs the schema migrations.
/// </summary>
public sealed partial class Database
{
    private readonly NpgsqlDataSource? _postgres;
    private readonly string _connectionString;
    public StorageProvider Provider { get; }

    /// <summary>For tests that restart the service on the same database; never logged.</summary>
    internal string ConnectionString => _connectionString;

    public Database(StorageProvider provider, string connectionString)
    {
        Provider = provider;
        _connectionString = connectionString;
        _postgres = provider == StorageProvider.Postgres ? NpgsqlDataSource.Create(connectionString) : null;
    }

    /// <summary>The default SQLite file under the content root, unless a connection string is configured.</summary>
    public static Database FromConfiguration(IConfiguration configuration, string contentRoot)
    {
        var options = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        var connectionString = configuration.GetConnectionString(StorageOptions.ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (options.Provider == StorageProvider.Postgres)
                throw new StartupRefusedException("Storage:Provider is Postgres but ConnectionStrings:CmlCds is not set. Set it to an Npgsql connection string, or use Storage:Provider=Sqlite.");
            connectionString = $"Data Source={Path.Combine(contentRoot, StorageOptions.DefaultSqliteFile)}";
        }
        return new Database(options.Provider, connectionString);
    }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (_postgres is not null) return await _postgres.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        {
            // WAL for concurrent readers; FULL so a committed feedback survives a crash of the machine, not only of the process.
            await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;", cancellationToken).ConfigureAwait(false);
        }
        return connection;
    }

    public static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            command.Parameters.Add(p);
        }
        return command;
    }

    /// <summary>ISO 8601 UTC with milliseconds: the one format timestamps are stored in.</summary>
    public static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
