export default function Page() {
  return <div data-testid="settings-page">Coming next.</div>;
}
