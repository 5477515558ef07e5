export const TEMPLATE_DATABASE = "re3m_template";
export const TEST_ADMIN = { email: "organiser@test.example", password: "test-organiser-password" };
