// The world's country shapes for the map: Natural Earth at 1:110m (world-atlas), bundled with the
// app so nothing is fetched from elsewhere. Each country is named by its ISO 3166-1 alpha-2 code,
// which is what events carry in $geoip_country_code.
import codes from 'i18n-iso-countries/codes.json';
export { MapChart } from 'echarts/charts';
export { VisualMapComponent } from 'echarts/components';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import countries from 'world-atlas/countries-110m.json';

export function worldGeoJson() {
  const alpha2ByNumeric = new Map((codes as string[][]).map(([alpha2, , numeric]) => [numeric, alpha2]));
  const topology = countries as unknown as Topology<{ countries: GeometryCollection<{ name: string }> }>;
  const collection = feature(topology, topology.objects.countries);
  return {
    ...collection,
    features: collection.features
      // Antarctica takes a fifth of the map and has no visitors
      .filter((f) => f.id !== '010')
      .map((f) => ({ ...f, properties: { ...f.properties, iso2: alpha2ByNumeric.get(String(f.id)) ?? f.properties?.name ?? '' } })),
  };
}
