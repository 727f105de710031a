using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CmlCds.Fhir.Model;

namespace CmlCds.Fhir.Json;

/// <summary>
/// Reads one FHIR resource (a search page, a read) from a stream without holding the whole body: a Bundle's
/// <c>entry</c> items are parsed into the model one at a time as their bytes arrive, and their bytes are let go at
/// once, so a page costs the model of what was read plus a window the size of its largest entry, not the page twice
/// over. The other top-level members (<c>resourceType</c>, <c>type</c>, <c>link</c>, ...) are kept as raw JSON and
/// read at the end, so the result is the same <see cref="Resource"/> <see cref="FhirJson.Parse(ReadOnlySpan{byte})"/>
/// gives for the same bytes. Limits end the read with a <see cref="LimitExceededException"/>: an entry (or other member)
/// larger than <see cref="StreamingReadLimits.MaxItemBytes"/>, more than <see cref="StreamingReadLimits.MaxEntries"/>
/// entries.
/// </summary>
/// <remarks>
/// A top-level <c>entry</c> seen before <c>resourceType</c> is read as Bundle entries (the only resource the service
/// reads that has one is a Bundle); if the resource then turns out not to be a Bundle, the read fails as not FHIR the
/// service reads. A non-Bundle whose <c>resourceType</c> comes first is read whole, within the item limit.
/// </remarks>
public static class StreamingResourceReader
{
    private const int InitialWindow = 64 * 1024;

    /// <summary>A limit was reached; <see cref="Entries"/> when it was the number of entries.</summary>
    public sealed class LimitExceededException(string message, bool entries = false) : IOException(message)
    {
        public bool Entries => entries;
    }

    private static readonly JsonTypeInfo<BundleEntry> EntryInfo = (JsonTypeInfo<BundleEntry>)FhirJson.Options.GetTypeInfo(typeof(BundleEntry));

    public static async ValueTask<Resource> ReadAsync(Stream utf8Json, StreamingReadLimits limits, CancellationToken cancellationToken = default)
    {
        var state = new ReadState(limits);
        var window = new byte[InitialWindow];
        int start = 0, end = 0;
        var final = false;
        while (true)
        {
            if (!final)
            {
                if (end == window.Length)
                {
                    if (start > 0)
                    {
                        // Slide the unread bytes to the front; the read bytes are garbage once parsed.
                        Buffer.BlockCopy(window, start, window, 0, end - start);
                        end -= start;
                        start = 0;
                    }
                    else
                    {
                        // One item does not fit: grow the window, within the item limit.
                        if (window.Length >= limits.MaxItemBytes)
                            throw new LimitExceededException($"an entry of the page is over the {limits.MaxItemBytes}-byte limit");
                        Array.Resize(ref window, (int)Math.Min((long)window.Length * 2, Math.Max(limits.MaxItemBytes, InitialWindow)));
                    }
                }
                var n = await utf8Json.ReadAsync(window.AsMemory(end), cancellationToken).ConfigureAwait(false);
                if (n == 0) final = true;
                end += n;
            }

            try
            {
                start += state.Consume(window.AsSpan(start, end - start), final);
            }
            catch (InvalidOperationException e)
            {
                // A member name that is not valid UTF-8, or a lone surrogate escape: the serializer calls it a JsonException too.
                throw new JsonException("The FHIR resource holds a name that is not valid Unicode text.", e);
            }
            if (state.Done)
            {
                await EnsureOnlyWhitespaceAsync(utf8Json, window, start, end, final, cancellationToken).ConfigureAwait(false);
                return state.Result();
            }
            if (final) throw new JsonException("The FHIR resource ends before its JSON does.");
        }
    }

    /// <summary>As the serializer: nothing but white space may follow the resource.</summary>
    private static async ValueTask EnsureOnlyWhitespaceAsync(Stream utf8Json, byte[] window, int start, int end, bool final, CancellationToken cancellationToken)
    {
        while (true)
        {
            foreach (var b in window.AsSpan(start, end - start))
                if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
                    throw new JsonException("The FHIR resource is followed by more data.");
            if (final) return;
            start = 0;
            end = await utf8Json.ReadAsync(window, cancellationToken).ConfigureAwait(false);
            final = end == 0;
        }
    }

    /// <summary>The parse so far: where in the top-level object the reader stands, what has been read.</summary>
    private sealed class ReadState(StreamingReadLimits limits)
    {
        private enum Where { BeforeObject, Members, InEntryArray, AfterObject }

        private JsonReaderState _reader = new(new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        private Where _where = Where.BeforeObject;
        private readonly ArrayBufferWriter<byte> _members = new(1024);
        private Utf8JsonWriter? _writer;
        private List<BundleEntry>? _entries;
        private string? _resourceType;

        public bool Done => _where == Where.AfterObject;

        /// <summary>Reads whole tokens (and whole entries and member values) from <paramref name="data"/>; returns the bytes used.</summary>
        public int Consume(ReadOnlySpan<byte> data, bool final)
        {
            var reader = new Utf8JsonReader(data, final, _reader);
            var used = 0;
            while (_where != Where.AfterObject)
            {
                var before = reader.CurrentState;
                var beforeConsumed = (int)reader.BytesConsumed;
                if (!reader.Read()) break;
                switch (_where)
                {
                    case Where.BeforeObject:
                        if (reader.TokenType != JsonTokenType.StartObject)
                            throw new JsonException($"A FHIR resource must be a JSON object, not {reader.TokenType}.");
                        _writer = new Utf8JsonWriter(_members);
                        _writer.WriteStartObject();
                        _where = Where.Members;
                        break;

                    case Where.Members when reader.TokenType == JsonTokenType.EndObject:
                        _writer!.WriteEndObject();
                        _writer.Flush();
                        _where = Where.AfterObject;
                        break;

                    case Where.Members:
                    {
                        // A member: its name, then its whole value, or nothing of it until the value is all here.
                        var isEntry = reader.ValueTextEquals("entry"u8) && _resourceType is null or "Bundle";
                        if (isEntry && _entries is not null) throw new JsonException("'entry' appears twice.");
                        var isType = reader.ValueTextEquals("resourceType"u8);
                        var name = reader.GetString()!;
                        if (!reader.Read()) return Rewind(beforeConsumed, final, before);
                        var valueStart = (int)reader.TokenStartIndex;
                        if (!isEntry && !reader.TrySkip()) return Rewind(beforeConsumed, final, before);
                        if (isEntry)
                        {
                            _entries = [];
                            if (reader.TokenType == JsonTokenType.Null) break; // as the serializer reads it: no entries
                            if (reader.TokenType != JsonTokenType.StartArray)
                                throw new JsonException("'entry' must be an array.");
                            _where = Where.InEntryArray;
                            break;
                        }
                        var value = data[valueStart..(int)reader.BytesConsumed];
                        CheckItem(value.Length);
                        if (isType && reader.TokenType == JsonTokenType.String) _resourceType = reader.GetString();
                        _writer!.WritePropertyName(name);
                        _writer.WriteRawValue(value, skipInputValidation: true);
                        break;
                    }

                    case Where.InEntryArray when reader.TokenType == JsonTokenType.EndArray:
                        _where = Where.Members;
                        break;

                    case Where.InEntryArray:
                    {
                        if (reader.TokenType == JsonTokenType.Null)
                            throw new JsonException("'entry' holds a null item; FHIR JSON arrays hold no nulls.");
                        var itemStart = (int)reader.TokenStartIndex;
                        if (!reader.TrySkip()) return Rewind(beforeConsumed, final, before);
                        var item = data[itemStart..(int)reader.BytesConsumed];
                        CheckItem(item.Length);
                        if (_entries!.Count >= limits.MaxEntries)
                            throw new LimitExceededException($"the page holds more than {limits.MaxEntries} entries", entries: true);
                        limits.EntryBudget?.Take(1);
                        _entries.Add(JsonSerializer.Deserialize(item, EntryInfo) ?? throw new JsonException("A Bundle entry must be an object."));
                        break;
                    }
                }
                used = (int)reader.BytesConsumed;
            }
            _reader = reader.CurrentState;
            return used;
        }

        /// <summary>An item is not all here yet: go back to before it, to read it whole when more bytes have come.</summary>
        private int Rewind(int consumed, bool final, JsonReaderState state)
        {
            if (final) throw new JsonException("The FHIR resource ends before its JSON does.");
            _reader = state;
            return consumed;
        }

        private void CheckItem(int bytes)
        {
            if (bytes > limits.MaxItemBytes)
                throw new LimitExceededException($"an entry of the page is over the {limits.MaxItemBytes}-byte limit");
        }

        public Resource Result()
        {
            var resource = FhirJson.Parse(_members.WrittenSpan);
            if (_entries is null) return resource;
            if (resource is not Bundle bundle)
                throw new JsonException("A resource with an 'entry' before its 'resourceType' must be a Bundle.");
            bundle.Entry = _entries.Count > 0 ? _entries : null;
            return bundle;
        }
    }
}

/// <summary>Bounds on one streamed read.</summary>
/// <param name="MaxItemBytes">The largest single Bundle entry (or other top-level member) accepted.</param>
/// <param name="MaxEntries">The most Bundle entries one page may hold.</param>
/// <param name="EntryBudget">When set, each entry is taken from it as it is read (a spent budget throws its
/// <see cref="Client.ReadBudget.ExceededException"/>).</param>
public sealed record StreamingReadLimits(long MaxItemBytes, int MaxEntries, Client.ReadBudget? EntryBudget = null);
