// Public display: refreshes the board from JSON without reloading the page.
// Text is set with textContent only (the data is numbers, but never trust markup).
(() => {
  const root = document.querySelector(".queue-display");
  if (!root) return;
  const source = root.dataset.source;
  const every = Math.max(parseInt(root.dataset.refresh, 10) || 5, 2) * 1000;
  const label = (name) => root.dataset[name] || "";
  // The call already on the page is not announced again at the first refresh.
  let lastAnnounced = root.querySelector("[data-recent]").dataset.key || "";

  function row(counter) {
    const li = document.createElement("li");
    li.className = "queue-board-row";
    const name = document.createElement("span");
    name.className = "queue-board-counter";
    name.textContent = `${label("labelCounter")} ${counter.number}`;
    const ticket = document.createElement("span");
    ticket.className = "queue-board-ticket";
    ticket.textContent = counter.ticket || label("labelNone");
    if (counter.priority) {
      const small = document.createElement("small");
      small.textContent = ` (${label("labelPriority")})`;
      ticket.appendChild(small);
    }
    li.append(name, ticket);
    return li;
  }

  function render(data) {
    root.querySelector("[data-board]").replaceChildren(...data.counters.map(row));
    const recent = data.recent[0];
    const key = recent ? recent.key : "";
    if (key && key !== lastAnnounced) {
      // Only a new call or recall changes the live region, so a screen reader
      // announces it once.
      const strong = document.createElement("strong");
      strong.textContent = label("labelCall")
        .replace("{ticket}", recent.ticket)
        .replace("{counter}", String(recent.counter));
      root.querySelector("[data-recent]").replaceChildren(strong);
      lastAnnounced = key;
    }
    root.querySelector("[data-waiting]").replaceChildren(...data.groups.map((g) => {
      const li = document.createElement("li");
      li.textContent = `${g.letter} – ${g.name}: `;
      const strong = document.createElement("strong");
      strong.textContent = String(g.waiting);
      li.appendChild(strong);
      return li;
    }));
  }

  async function tick() {
    try {
      const response = await fetch(source, { headers: { Accept: "application/json" }, cache: "no-store" });
      if (response.ok) render(await response.json());
    } catch (error) {
      // Network hiccup: keep the last board, try again at the next tick.
    }
    window.setTimeout(tick, every);
  }
  window.setTimeout(tick, every);
})();
