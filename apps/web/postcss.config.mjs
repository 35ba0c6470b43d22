// Tailwind CSS v4 (the console's UI kit); tokens in packages/ui/src/styles.css.
export default { plugins: { "@tailwindcss/postcss": {} } };
