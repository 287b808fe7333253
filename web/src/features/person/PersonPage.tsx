export default function Page() {
  return <div data-testid="person-page">Coming next.</div>;
}
