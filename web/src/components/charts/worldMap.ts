// The world's country shapes for the map: Natural Earth at 1:110m (world-atlas), bundled with the
// app so nothing is fetched from elsewhere. Each country is named by its ISO 3166-1 alpha-2 code,
// which is what events carry in $geoip_country_code.
import codes from 'i18n-iso-countries/codes.json';
export { MapChart } from 'echarts/charts';
export { VisualMapComponent } from 'echarts/components';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import countries from 'world-atlas/countries-110m.json';

type Ring = [number, number][];

/**
 * ECharts draws a ring straight across the map when it crosses the antimeridian (Russia, Fiji):
 * such a ring keeps its points on the side most of it lies on, pinned at ±180°.
 */
export function pinToOneSide(ring: Ring): Ring {
  const lons = ring.map(([lon]) => lon);
  if (Math.max(...lons) - Math.min(...lons) <= 180) return ring;
  const east = lons.filter((l) => l > 0).length >= lons.length / 2;
  return ring.map(([lon, lat]) => [east ? (lon < 0 ? 180 : lon) : lon > 0 ? -180 : lon, lat]);
}

function pinGeometry<G extends { type: string; coordinates?: unknown }>(g: G): G {
  if (g.type === 'Polygon') return { ...g, coordinates: (g.coordinates as Ring[]).map(pinToOneSide) };
  if (g.type === 'MultiPolygon') return { ...g, coordinates: (g.coordinates as Ring[][]).map((p) => p.map(pinToOneSide)) };
  return g;
}

export function worldGeoJson() {
  const alpha2ByNumeric = new Map((codes as string[][]).map(([alpha2, , numeric]) => [numeric, alpha2]));
  const topology = countries as unknown as Topology<{ countries: GeometryCollection<{ name: string }> }>;
  const collection = feature(topology, topology.objects.countries);
  return {
    ...collection,
    features: collection.features
      // Antarctica takes a fifth of the map and has no visitors
      .filter((f) => f.id !== '010')
      .map((f) => ({
        ...f,
        geometry: pinGeometry(f.geometry),
        properties: { ...f.properties, iso2: alpha2ByNumeric.get(String(f.id)) ?? f.properties?.name ?? '' },
      })),
  };
}
