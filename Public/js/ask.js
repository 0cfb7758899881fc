// A question asked in the page itself (not window.confirm): a sentence and a button per
// answer, in a container the page keeps for it. Text goes in with textContent.

let pending = null;

/**
 * Shows `question` in `container` with one button per choice (`{ label, value, primary }`)
 * and resolves with the value of the button pressed. Asking again while a question is open
 * replaces it, and the earlier question resolves with null.
 */
export function askInPage(container, question, choices) {
  pending?.(null);
  return new Promise((resolve) => {
    const text = document.createElement("p");
    text.textContent = question;
    const buttons = document.createElement("div");
    buttons.className = "answers";
    const finish = (value) => {
      if (pending !== finish) return;
      pending = null;
      container.replaceChildren();
      container.hidden = true;
      resolve(value);
    };
    for (const choice of choices) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = choice.label;
      if (choice.primary) button.className = "primary";
      button.addEventListener("click", () => finish(choice.value));
      buttons.append(button);
    }
    pending = finish;
    container.replaceChildren(text, buttons);
    container.hidden = false;
    buttons.querySelector("button.primary, button")?.focus();
  });
}
