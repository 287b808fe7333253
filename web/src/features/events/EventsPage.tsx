export default function Page() {
  return <div data-testid="events-page">Coming next.</div>;
}
