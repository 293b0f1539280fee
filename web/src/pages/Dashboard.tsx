// Being written: replaced by the screen's own module.
export default function Dashboard() {
  return <section><h1>Dashboard</h1></section>;
}
