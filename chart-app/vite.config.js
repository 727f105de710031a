// Builds the response chart into the service's embedded files (src/CmlCds.Api/ChartApp, served at /chart/).
// The output is committed, so `dotnet run --project src/CmlCds.Api` serves the page without npm; CI rebuilds it
// and checks that the committed files are what this source builds.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/chart/',
  build: {
    outDir: '../src/CmlCds.Api/ChartApp',
    emptyOutDir: true,
    assetsDir: 'assets',
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: 'es2022',
  },
});
