# CML CDS: the service (target "service", the default) and the cmlcds command line (target "cli").
# docker build -t cmlcds .   |   docker build --target cli -t cmlcds-cli .

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props CmlCds.sln ./
COPY src/ src/
COPY samples/ samples/
# Built into CmlCds.Fhir: the profiles and ValueSets the service validates and reads codes with.
COPY fhir-profiles/ fhir-profiles/
RUN dotnet publish src/CmlCds.Api -c Release -o /out/service \
 && dotnet publish src/CmlCds.Cli -c Release -o /out/cli

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS cli
WORKDIR /app
COPY --from=build /out/cli ./
USER $APP_UID
ENTRYPOINT ["dotnet", "cmlcds.dll"]

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS service
WORKDIR /app
COPY --from=build /out/service ./
# The image's non-root user; the SQLite file (when used) goes to a volume it owns.
USER $APP_UID
# MALLOC_ARENA_MAX=2: glibc otherwise gives threads up to 8 arenas per core, each keeping its peak of native memory
# (BENCHMARKS.md, Memory). DOTNET_gcServer=0: workstation GC, as the Kubernetes Deployment runs it, so that the image
# behaves as measured (BENCHMARKS.md measures the service this way; GC mode compares server GC).
ENV ASPNETCORE_URLS=http://+:8080 \
    ConnectionStrings__CmlCds="Data Source=/data/cmlcds.db" \
    MALLOC_ARENA_MAX=2 \
    DOTNET_gcServer=0
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["dotnet", "CmlCds.Api.dll", "healthcheck", "http://127.0.0.1:8080/healthz"]
ENTRYPOINT ["dotnet", "CmlCds.Api.dll"]
