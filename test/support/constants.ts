export const TEST_ADMIN = { email: "organiser@test.example", password: "test-organiser-password" };
