using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;

namespace CmlCds.Api.Tests.Infrastructure;

/// <summary>A span as an OTLP collector receives it.</summary>
public sealed record ExportedSpan(string Name, string SpanId, string ParentSpanId, IReadOnlyDictionary<string, string> Attributes);

/// <summary>One data point of a metric, with its attributes and its value (a sum's value, a histogram's count).</summary>
public sealed record ExportedPoint(string Metric, IReadOnlyDictionary<string, string> Attributes, double Value);

/// <summary>
/// An OTLP/HTTP collector double on 127.0.0.1: takes <c>POST /v1/traces</c> and <c>/v1/metrics</c> in protobuf (what the
/// .NET exporter sends) and decodes the parts the tests read (OpenTelemetry proto: trace/v1, metrics/v1, common/v1),
/// keeping every string it finds in an attribute, a name or a resource.
/// </summary>
public sealed class OtlpCollector : IAsyncDisposable
{
    private readonly WebApplication _app;
    public Uri BaseUrl { get; private set; } = null!;
    public ConcurrentQueue<ExportedSpan> Spans { get; } = new();
    public ConcurrentQueue<ExportedPoint> Points { get; } = new();
    /// <summary>Every string value decoded from every export: names, attribute keys and values, resource attributes.</summary>
    public ConcurrentQueue<string> Strings { get; } = new();

    private OtlpCollector(WebApplication app) => _app = app;

    public static async Task<OtlpCollector> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var collector = new OtlpCollector(app);
        app.MapPost("/v1/traces", async (HttpRequest request) => { collector.Traces(await Body(request)); return Results.Ok(); });
        app.MapPost("/v1/metrics", async (HttpRequest request) => { collector.Metrics(await Body(request)); return Results.Ok(); });
        await app.StartAsync();
        collector.BaseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return collector;
    }

    private static async Task<byte[]> Body(HttpRequest request)
    {
        using var memory = new MemoryStream();
        await request.Body.CopyToAsync(memory);
        return memory.ToArray();
    }

    private void Traces(byte[] body)
    {
        foreach (var resourceSpans in Fields(body, 1))
        {
            foreach (var resource in Fields(resourceSpans, 1)) Attributes(resource, 1);
            foreach (var scopeSpans in Fields(resourceSpans, 2))
                foreach (var span in Fields(scopeSpans, 2))
                {
                    var name = Text(First(span, 5));
                    Strings.Enqueue(name);
                    Spans.Enqueue(new ExportedSpan(name, Convert.ToHexString(First(span, 2)), Convert.ToHexString(First(span, 4)), Attributes(span, 9)));
                }
        }
    }

    private void Metrics(byte[] body)
    {
        foreach (var resourceMetrics in Fields(body, 1))
        {
            foreach (var resource in Fields(resourceMetrics, 1)) Attributes(resource, 1);
            foreach (var scopeMetrics in Fields(resourceMetrics, 2))
                foreach (var metric in Fields(scopeMetrics, 2))
                {
                    var name = Text(First(metric, 1));
                    Strings.Enqueue(name);
                    // gauge = 5, sum = 7 (NumberDataPoint: attributes 7, as_double 4, as_int 6); histogram = 9 (attributes 9, count 4)
                    foreach (var number in Fields(metric, 5).Concat(Fields(metric, 7)))
                        foreach (var point in Fields(number, 1))
                            Points.Enqueue(new ExportedPoint(name, Attributes(point, 7), NumberValue(point)));
                    foreach (var histogram in Fields(metric, 9))
                        foreach (var point in Fields(histogram, 1))
                            Points.Enqueue(new ExportedPoint(name, Attributes(point, 9), Fixed(point, 4)));
                }
        }
    }

    private Dictionary<string, string> Attributes(byte[] message, int field)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in Fields(message, field))
        {
            var key = Text(First(pair, 1));
            var value = AnyValue(First(pair, 2));
            Strings.Enqueue(key);
            Strings.Enqueue(value);
            attributes[key] = value;
        }
        return attributes;
    }

    /// <summary>AnyValue: string 1, bool 2, int 3, double 4; anything else (arrays, maps, bytes) as the strings inside it.</summary>
    private static string AnyValue(byte[] value)
    {
        foreach (var (number, wire, data, scalar) in Read(value))
            return number switch
            {
                1 => Encoding.UTF8.GetString(data),
                2 or 3 => scalar.ToString(System.Globalization.CultureInfo.InvariantCulture),
                4 => BitConverter.Int64BitsToDouble((long)scalar).ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => wire == 2 ? Encoding.UTF8.GetString(data) : "",
            };
        return "";
    }

    private static double NumberValue(byte[] point)
    {
        foreach (var (number, _, _, scalar) in Read(point))
        {
            if (number == 4) return BitConverter.Int64BitsToDouble((long)scalar);
            if (number == 6) return (long)scalar;
        }
        return double.NaN;
    }

    private static double Fixed(byte[] message, int field)
    {
        foreach (var (number, _, _, scalar) in Read(message))
            if (number == field) return scalar;
        return double.NaN;
    }

    private static string Text(byte[] data) => Encoding.UTF8.GetString(data);

    private static byte[] First(byte[] message, int field) => Fields(message, field).FirstOrDefault() ?? [];

    private static IEnumerable<byte[]> Fields(byte[] message, int field) =>
        Read(message).Where(f => f.Number == field && f.Wire == 2).Select(f => f.Data);

    /// <summary>The protobuf wire format: (field number, wire type, bytes of a length-delimited field, value of a scalar).</summary>
    private static List<(int Number, int Wire, byte[] Data, ulong Scalar)> Read(byte[] message)
    {
        var fields = new List<(int, int, byte[], ulong)>();
        var i = 0;
        while (i < message.Length)
        {
            var tag = Varint(message, ref i);
            var number = (int)(tag >> 3);
            var wire = (int)(tag & 7);
            switch (wire)
            {
                case 0: fields.Add((number, wire, [], Varint(message, ref i))); break;
                case 1: fields.Add((number, wire, [], BitConverter.ToUInt64(message, i))); i += 8; break;
                case 2:
                    var length = (int)Varint(message, ref i);
                    fields.Add((number, wire, message[i..(i + length)], 0));
                    i += length;
                    break;
                case 5: fields.Add((number, wire, [], BitConverter.ToUInt32(message, i))); i += 4; break;
                default: throw new InvalidDataException($"protobuf wire type {wire} at byte {i}");
            }
        }
        return fields;
    }

    private static ulong Varint(byte[] data, ref int i)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[i++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80) return value;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
