// Page settings kept in localStorage: the theme (auto follows prefers-color-scheme, or
// light/dark) and the time display (UTC with date, or relative).

import { setTimeMode, timeMode } from "./time.js";

const THEME = "inspector.theme";

export function applyTheme(theme) {
  const chosen = ["light", "dark"].includes(theme) ? theme : "auto";
  document.documentElement.dataset.theme = chosen;
  localStorage.setItem(THEME, chosen);
  return chosen;
}

export function wirePrefs(themeSelect, timeSelect) {
  themeSelect.value = applyTheme(localStorage.getItem(THEME));
  themeSelect.addEventListener("change", () => applyTheme(themeSelect.value));
  timeSelect.value = timeMode();
  timeSelect.addEventListener("change", () => setTimeMode(timeSelect.value));
}
