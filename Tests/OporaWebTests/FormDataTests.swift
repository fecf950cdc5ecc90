import Testing
@testable import OporaWeb

@Suite("Form fields")
struct FormDataTests {
    @Test func spacesPercentEscapesAndCyrillicAreDecoded() {
        let form = FormData("q=%D0%A1%D0%9E%D0%A8+%D1%81.%20%D0%9B%D1%83%D0%B3&plus=1%2B1&empty=&name")
        #expect(form["q"] == "СОШ с. Луг")
        #expect(form["plus"] == "1+1")
        #expect(form["empty"] == "" && form["name"] == "" && form["missing"] == "")
    }

    @Test func controlCharactersAreDroppedButLineBreaksKept() {
        let form = FormData("evidence=%00%D0%9F%D1%80%D0%B8%D0%BA%D0%B0%D0%B7%1B%0D%0A%E2%84%96%091%7F")
        #expect(form["evidence"] == "Приказ\r\n№\t1")
    }
}
