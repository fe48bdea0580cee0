// Accent-insensitive matching for Vietnamese: "dang ky khai sinh" finds "Đăng ký khai sinh".
export function fold(text) {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
}

export function matches(haystack, query) {
  const words = fold(query).split(/\s+/).filter(Boolean);
  const folded = fold(haystack);
  return words.every((word) => folded.includes(word));
}

export function kilobytes(bytes) {
  return `${Math.round(bytes / 1024)} KB`;
}
